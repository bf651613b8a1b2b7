import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const FIXTURES = path.join(__dirname, '../fixtures/azure-monitor');

/** Every Azure Monitor fixture: Microsoft's published common-alert-schema samples (see SOURCES.md). */
const samples = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
  .sort();

const bodyOf = (file: string): string => readFileSync(path.join(FIXTURES, file), 'utf8');

describe('Azure Monitor webhook with every documented sample payload', () => {
  let t: TestApp;
  let integrationId: string;
  let secret: string;

  beforeAll(async () => {
    t = await startTestApp();
    const service = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Azure estate", slug: "azure-estate" }) { service { id } } }`);
    const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "azure", vendor: AZURE_MONITOR, serviceId: $s }) { integration { id } secret } }`,
      { s: service.data!.createService.service.id },
    );
    ({ secret } = created.data!.createIntegration);
    integrationId = created.data!.createIntegration.integration.id;
  });
  afterAll(() => t.close());

  const deliver = (body: string) =>
    request(t.url).post(`/webhooks/${integrationId}`).query({ key: secret }).set('Content-Type', 'application/json').send(body);

  it.each(samples)('accepts %s with 202 and one alert', async (file) => {
    const response = await deliver(bodyOf(file));
    expect(response.body).toMatchObject({ accepted: 1 });
    expect(response.status).toBe(202);
  });

  it('kept none of them as a dead letter', async () => {
    const [{ count }] = await t.app.db.query(`SELECT count(*)::int AS count FROM dead_letter WHERE integration_id = $1`, [integrationId]);
    expect(count).toBe(0);
  });

  it('opens a cost budget alert, which has no severity, as a P3 incident titled by its description', async () => {
    const response = await deliver(bodyOf('cost-budget-forecasted.json'));
    expect(response.status).toBe(202);
    const view = await t.gql<{ incident: { title: string; priority: string; status: string } }>(`query($id: ID!) { incident(id: $id) { title priority status } }`, {
      id: response.body.incidentIds[0],
    });
    expect(view.data!.incident).toEqual({
      title: 'The total spend for your budget, Test_forcasted_budget, is forecasted to reach $1111.11 before the end of the period. This amount exceeds your specified budget threshold of $50.00.',
      priority: 'P3',
      status: 'TRIGGERED',
    });
  });
});
