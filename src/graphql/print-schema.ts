import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphQLSchema } from './build-schema';

/** The SDL committed as schema.graphql, so every schema change shows in review. */
export async function printGraphQLSchema(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
