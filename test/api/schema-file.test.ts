import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printGraphQLSchema } from '../../src/graphql/print-schema';
import { withoutDescriptions } from '../support/sdl';

describe('schema.graphql', () => {
  it('matches the schema the resolvers build (run `npm run schema:emit` after a schema change)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');
    expect(await printGraphQLSchema()).toEqual(committed);
  });

  it('keeps the contract names frontends rely on', async () => {
    const sdl = withoutDescriptions(await printGraphQLSchema());
    for (const fragment of [
      'declareIncident(input: DeclareIncidentInput!): IncidentPayload!',
      'acknowledgeIncident(input: IncidentIdInput!): IncidentPayload!',
      'resolveIncident(input: ResolveIncidentInput!): IncidentPayload!',
      'postStatusUpdate(input: PostStatusUpdateInput!): StatusUpdatePayload!',
      'createService(input: CreateServiceInput!): ServicePayload!',
      // An optional argument (after) was added: old documents `subscription { incidentCreated { id } }` stay valid.
      'incidentCreated(',
      'enum Audience {\n  INTERNAL\n  PUBLIC\n}',
      'enum Priority {\n  P1\n  P2\n  P3\n  P4\n}',
    ]) {
      expect(sdl).toContain(fragment);
    }
  });
});
