import type { Client } from 'graphql-ws';
import { Role } from '../../src/schema/enums';
import { startTestApp, type TestApp } from '../support/test-app';
import { connectWs } from './ws-client';

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function overWebSocket(client: Client, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let first: Answer = {};
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          first = result as Answer;
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as Answer['errors'] }) : reject(error)),
        complete: () => resolve(first),
      },
    );
  });
}

/** What a client can rely on: the messages and extensions of the errors (locations and paths aside). */
const errorsOf = (answer: Answer) => (answer.errors ?? []).map(({ message, extensions }) => ({ message, extensions }));

describe('errors over WebSocket', () => {
  let t: TestApp;
  let serviceId: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    serviceId = (await t.app.services.catalog.createService({ name: 'Voice', slug: 'voice' })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await t.close();
  });

  const cases: Array<[string, Role, string, () => Record<string, unknown>]> = [
    ['text PostgreSQL cannot store (U+0000)', Role.RESPONDER, `mutation($s: ID!, $t: String!) { declareIncident(input: { title: $t, serviceId: $s, priority: P3 }) { incident { id } } }`, () => ({ s: serviceId, t: 'nul \u0000 here' })],
    ['a field that does not exist', Role.VIEWER, `{ incidents(first: 1) { edges { node { nope } } } }`, () => ({})],
    ['a mutation the role may not run', Role.VIEWER, `mutation($s: ID!) { declareIncident(input: { title: "x", serviceId: $s, priority: P3 }) { incident { id } } }`, () => ({ s: serviceId })],
    ['a variable of the wrong type', Role.VIEWER, `query($n: Int!) { incident(number: $n) { id } }`, () => ({ n: 'twelve' })],
    ['an unknown incident', Role.VIEWER, `{ incident(number: 999999) { id } }`, () => ({})],
    ['a field the domain refuses', Role.RESPONDER, `mutation($s: ID!) { declareIncident(input: { title: "  ", serviceId: $s, priority: P3 }) { incident { id } } }`, () => ({ s: serviceId })],
    ['a document too deep', Role.VIEWER, `{ incidents { edges { node { alerts { edges { node { service { escalationPolicy { steps { targets { id } } } } } } } } } } }`, () => ({})],
  ];

  it.each(cases)('%s: the same code and message as over HTTP', async (_label, role, query, variables) => {
    const token = await t.tokenFor(role);
    const client = connectWs(t, token);
    clients.push(client);
    const overHttp = await t.gql(query, variables(), token);
    const overWs = await overWebSocket(client, query, variables());
    expect(overHttp.errors?.length).toBeGreaterThan(0);
    expect(errorsOf(overWs)).toEqual(errorsOf(overHttp as Answer));
    for (const error of overWs.errors ?? []) expect(error.extensions?.code).toEqual(expect.any(String));
    expect(JSON.stringify(overWs)).not.toMatch(/invalid byte sequence|0x00|stack/i);
  });
});
