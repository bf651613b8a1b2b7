import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isNullableType, type GraphQLObjectType } from 'graphql';
import { configuration, validator } from 'graphql-schema-linter';
import { SourceMap } from 'graphql-schema-linter/lib/source_map';
import { printGraphQLSchema } from '../../src/graphql/print-schema';

/**
 * What frontends read in schema.graphql and in GraphQL explorers: every element says what it means, and the
 * connections are what Relay's compiler expects. All forward-pagination rules apply: lists page forward only
 * (first/after), which relay-connection-arguments-spec accepts.
 */
const RULES = [
  'types-have-descriptions',
  'fields-have-descriptions',
  'arguments-have-descriptions',
  'input-object-values-have-descriptions',
  'enum-values-have-descriptions',
  'relay-connection-types-spec',
  'relay-connection-arguments-spec',
  'relay-page-info-spec',
];

/** The linter's findings as `line:column message (rule)`, as its CLI prints them. */
function lint(sdl: string, file = 'schema.graphql'): string[] {
  const input = { definition: sdl, sourceMap: new SourceMap({ [file]: sdl }) };
  const config = new configuration.Configuration(input, { rules: RULES });
  expect(config.validate()).toEqual([]);
  return validator
    .validateSchemaDefinition(input, config.getRules(), config)
    .map((error) => `${error.locations?.[0]?.line}:${error.locations?.[0]?.column} ${error.message} (${error.ruleName ?? 'graphql'})`);
}

describe('the schema documents itself (graphql-schema-linter)', () => {
  it('finds nothing in the schema the resolvers build', async () => {
    expect(lint(await printGraphQLSchema())).toEqual([]);
  });

  it('finds nothing in the committed schema.graphql', () => {
    expect(lint(readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'))).toEqual([]);
  });

  it('has PageInfo cursors as the Relay spec types them (nullable String), which relay-page-info-spec does not check', async () => {
    const pageInfo = buildSchema(await printGraphQLSchema()).getType('PageInfo') as GraphQLObjectType;
    for (const name of ['startCursor', 'endCursor']) {
      const field = pageInfo.getFields()[name];
      expect(field && String(field.type)).toBe('String');
      expect(isNullableType(field.type)).toBe(true);
    }
  });

  it('reports a missing description and a PageInfo without hasPreviousPage, so the checks above can fail', () => {
    const sdl = `"""The root."""
type Query {
  """A page of things."""
  things(
    """Page size."""
    first: Int
    """A cursor."""
    after: String
  ): ThingConnection!
  undocumented: Int
}

"""A page."""
type ThingConnection {
  """The rows."""
  edges: [ThingEdge!]!
  """Where the page sits."""
  pageInfo: PageInfo!
}

"""A row."""
type ThingEdge {
  """Its cursor."""
  cursor: String!
  """The thing."""
  node: Int
}

"""Where a page sits."""
type PageInfo {
  """More follow."""
  hasNextPage: Boolean!
}
`;
    expect(lint(sdl)).toEqual([
      '10:3 The field `Query.undocumented` is missing a description. (fields-have-descriptions)',
      '29:1 The `PageInfo` object type must have a `hasPreviousPage` field that returns a non-null Boolean as per the Relay spec. (relay-page-info-spec)',
    ]);
  });
});
