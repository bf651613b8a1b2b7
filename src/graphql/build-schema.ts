import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../resolvers/auth-checker';
import { RESOLVERS } from '../resolvers';
import { enforceOperationBudgets } from './operation-budget';
import { describeRootTypes } from './root-type-descriptions';

/**
 * type-graphql insists on a PubSub when there are subscriptions, but every subscription here subscribes
 * itself (`subscribe:` in its decorator, through the context's ChangeHub): this one is never used.
 */
const UNUSED_PUBSUB = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('subscriptions subscribe through context.changes');
  },
};

/** The schema with its resolvers; every field refuses to start past its operation's time budget. */
export async function buildGraphQLSchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    pubSub: UNUSED_PUBSUB,
    validate: false,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
  });
  return enforceOperationBudgets(describeRootTypes(schema));
}
