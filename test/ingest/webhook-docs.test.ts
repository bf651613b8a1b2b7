import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);

const DOC = readFileSync(path.join(__dirname, '../../docs/webhooks.md'), 'utf8');
/** The server address the doc's examples use; the test swaps in its own. */
const DOC_BASE_URL = 'https://incidents.example.com';

/** The text of one `## heading` section of docs/webhooks.md. */
function section(heading: string): string {
  const start = DOC.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/webhooks.md has no section "## ${heading}"`);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

/** The `curl` commands of a section's sh blocks, in order; a command ends at a blank line, a comment or the next curl. */
function curlCommands(text: string): string[] {
  const commands: string[] = [];
  for (const [, block] of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current: string[] = [];
    const finish = () => {
      if (current.length) commands.push(current.join('\n'));
      current = [];
    };
    for (const line of block.split('\n')) {
      if (line.startsWith('curl ')) {
        finish();
        current.push(line);
      } else if (current.length && line.trim() !== '' && !line.startsWith('#')) current.push(line);
      else finish();
    }
    finish();
  }
  return commands;
}

describe('the curl examples in docs/webhooks.md, run as written against a running server', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Databases", slug: "databases" }) { service { id } } }`);
    serviceId = created.data!.createService.service.id;
  });
  afterAll(() => t.close());

  async function createIntegration(vendor: string) {
    const response = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($s: ID!) { createIntegration(input: { name: "${vendor.toLowerCase()}-docs", vendor: ${vendor}, serviceId: $s }) { integration { id } secret } }`,
      { s: serviceId },
    );
    return { id: response.data!.createIntegration.integration.id, secret: response.data!.createIntegration.secret };
  }

  /** Runs one documented command in bash with `$SECRET` set, pointed at the test server; returns the JSON answer. */
  async function runDocumented(command: string, integration: { id: string; secret: string }): Promise<Record<string, unknown>> {
    expect(command).toContain(`${DOC_BASE_URL}/webhooks/<integration-id>`);
    expect(command).toContain('$SECRET');
    const local = command.replaceAll(DOC_BASE_URL, t.url).replaceAll('<integration-id>', integration.id);
    const { stdout } = await run('bash', ['-c', local], { env: { ...process.env, SECRET: integration.secret } });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  const incident = async (id: string) =>
    (await t.gql<{ incident: { status: string; priority: string; title: string } }>(`query($id: ID!) { incident(id: $id) { status priority title } }`, { id })).data!.incident;

  it('Alertmanager: the firing notification opens an incident and the resolved one closes it', async () => {
    const commands = curlCommands(section('Prometheus Alertmanager'));
    expect(commands).toHaveLength(2);
    const integration = await createIntegration('ALERTMANAGER');

    const firing = await runDocumented(commands[0], integration);
    expect(firing).toMatchObject({ accepted: 1, incidentIds: [expect.any(String)], ignored: 0 });
    const incidentId = (firing.incidentIds as string[])[0];
    expect(await incident(incidentId)).toEqual({ status: 'TRIGGERED', priority: 'P1', title: 'Disk almost full on db-1' });

    const resolved = await runDocumented(commands[1], integration);
    expect(resolved).toMatchObject({ accepted: 1, incidentIds: [incidentId], ignored: 0 });
    expect((await incident(incidentId)).status).toBe('RESOLVED');
  });

  it('Generic: trigger opens an incident, acknowledge acknowledges it without counting an occurrence, resolve closes it', async () => {
    const commands = curlCommands(section('Generic / PagerDuty Events v2'));
    expect(commands).toHaveLength(3);
    const integration = await createIntegration('GENERIC');

    const triggered = await runDocumented(commands[0], integration);
    expect(triggered).toMatchObject({ accepted: 1, incidentIds: [expect.any(String)] });
    const incidentId = (triggered.incidentIds as string[])[0];
    expect(await incident(incidentId)).toEqual({ status: 'TRIGGERED', priority: 'P1', title: 'DISK at 99% on prod-datapipe03' });

    const acknowledged = await runDocumented(commands[1], integration);
    expect(acknowledged).toMatchObject({ accepted: 1, alertIds: triggered.alertIds, incidentIds: [incidentId] });
    expect((await incident(incidentId)).status).toBe('ACKNOWLEDGED');
    const [alert] = await t.app.db.query(`SELECT occurrences, summary FROM alert WHERE id = $1`, [(triggered.alertIds as string[])[0]]);
    expect(alert).toEqual({ occurrences: 1, summary: 'DISK at 99% on prod-datapipe03' });

    await runDocumented(commands[2], integration);
    expect((await incident(incidentId)).status).toBe('RESOLVED');
  });
});
