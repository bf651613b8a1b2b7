import { startTestApp, type TestApp } from '../support/test-app';

describe('GraphQL API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('declares an incident and lists it', async () => {
    const created = await t.gql<{ createService: { service: { id: string } } }>(
      `mutation { createService(input: { name: "SMS API", slug: "sms-api" }) { service { id slug } } }`,
    );
    expect(created.errors).toBeUndefined();
    const serviceId = created.data!.createService.service.id;
    const declared = await t.gql(
      `mutation($s: ID!) { declareIncident(input: { title: "SMS delayed", serviceId: $s, priority: P1 }) { incident { id number status priority stage service { slug } timeline { kind actor { name } } } } }`,
      { s: serviceId },
    );
    expect(declared.errors).toBeUndefined();
    expect(declared.data).toMatchObject({
      declareIncident: { incident: { number: 1, status: 'TRIGGERED', priority: 'P1', stage: 'IDENTIFICATION', service: { slug: 'sms-api' } } },
    });
    const listed = await t.gql(`{ incidents(first: 5) { totalCount edges { node { title } } } }`);
    expect(listed.data).toEqual({ incidents: { totalCount: 1, edges: [{ node: { title: 'SMS delayed' } }] } });
  });
});
