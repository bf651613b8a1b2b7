import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { AlertChange, Change } from '../db/changes';
import { authChecker } from '../resolvers/auth-checker';
import { RESOLVERS } from '../resolvers';
import { enforceOperationBudgets } from './operation-budget';

export type ChangePubSub = ReturnType<typeof createChangePubSub>;

type PublishedTopic = Exclude<Change['topic'], 'ALERTS_RECEIVED' | 'INTEGRATION_CHANGED' | 'OUTBOX_READY' | 'API_TOKEN_CHANGED'>;

/** Topics subscriptions listen on: committed changes, and one ALERT_RECEIVED per alert. */
export function createChangePubSub() {
  return createPubSub<{ [Topic in PublishedTopic]: [Extract<Change, { topic: Topic }>] } & { ALERT_RECEIVED: [AlertChange] }>();
}

/** The schema with its resolvers; every field refuses to start past its operation's time budget. */
export async function buildGraphQLSchema(pubSub: ChangePubSub, emitSchemaFile?: string): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    pubSub: pubSub as never,
    validate: false,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
  });
  return enforceOperationBudgets(schema);
}
