import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { Change, ChangeTopic } from '../db/changes';
import { authChecker } from '../resolvers/auth-checker';
import { RESOLVERS } from '../resolvers';

export type ChangePubSub = ReturnType<typeof createChangePubSub>;

export function createChangePubSub() {
  return createPubSub<{ [Topic in ChangeTopic]: [Extract<Change, { topic: Topic }>] }>();
}

export async function buildGraphQLSchema(pubSub: ChangePubSub, emitSchemaFile?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    pubSub: pubSub as never,
    validate: false,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
  });
}
