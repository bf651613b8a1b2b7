import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphQLSchema, createChangePubSub } from './build-schema';

/** The SDL committed as schema.graphql, so every schema change shows in review. */
export async function printGraphQLSchema(): Promise<string> {
  const schema = await buildGraphQLSchema(createChangePubSub());
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
