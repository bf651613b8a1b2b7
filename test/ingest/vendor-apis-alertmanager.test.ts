import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { start, type Started } from '../ops/support/processes';
import { startTestApp, type TestApp } from '../support/test-app';
import { alertsOf, serviceWithIntegration, type AlertRow } from '../support/vendor-api';

jest.setTimeout(90_000);

/** Debian's package (`.ci/run` installs it); upstream's binary is `alertmanager`. */
function alertmanagerBinary(): string {
  for (const name of ['prometheus-alertmanager', 'alertmanager']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('prometheus-alertmanager is not installed: this test drives a real Alertmanager (apt-get install prometheus-alertmanager; .ci/run installs it)');
}

/** A port nothing listens on now: Alertmanager cannot be told to pick one itself. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 45_000, log: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${deadlineMs} ms; last seen ${JSON.stringify(value)}\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a real Alertmanager sending to the drop-in PagerDuty and Opsgenie APIs', () => {
  let t: TestApp;
  let alertmanager: Started;
  let alertmanagerUrl: string;
  let dir: string;
  let pagerDuty: Awaited<ReturnType<typeof serviceWithIntegration>>;
  let opsgenie: Awaited<ReturnType<typeof serviceWithIntegration>>;

  beforeAll(async () => {
    const binary = alertmanagerBinary();
    t = await startTestApp();
    pagerDuty = await serviceWithIntegration(t, 'am-pagerduty', 'GENERIC');
    opsgenie = await serviceWithIntegration(t, 'am-opsgenie', 'OPSGENIE');
    dir = mkdtempSync(path.join(os.tmpdir(), 'alertmanager-'));
    // Both receivers get every alert (continue: true). Short waits so the test is quick; repeat_interval long so
    // nothing is re-sent; send_resolved is what makes the resolve (and the close) go out.
    writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      `route:
  receiver: nobody
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
  routes:
    - receiver: pagerduty
      continue: true
    - receiver: opsgenie
receivers:
  - name: nobody
  - name: pagerduty
    pagerduty_configs:
      - routing_key: '${pagerDuty.key}'
        url: '${t.url}/v2/enqueue'
        send_resolved: true
  - name: opsgenie
    opsgenie_configs:
      - api_key: '${opsgenie.key}'
        api_url: '${t.url}/'
        priority: P2
        send_resolved: true
`,
    );
    alertmanagerUrl = `http://127.0.0.1:${await freePort()}`;
    alertmanager = start(
      binary,
      [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=${alertmanagerUrl.replace('http://', '')}`,
        // No gossip: a lone instance, and no second port to find.
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { env: process.env },
    );
    await until('Alertmanager ready', () => fetch(`${alertmanagerUrl}/-/ready`).then((r) => r.status, () => 0), (status) => status === 200, 20_000, () => alertmanager.lines().slice(-20).join('\n'));
  });

  afterAll(async () => {
    if (alertmanager) {
      alertmanager.child.kill('SIGTERM');
      await alertmanager.exited;
    }
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const postAlert = async (endsAt?: Date) => {
    const alert = {
      labels: { alertname: 'DropInCheckout', severity: 'critical', job: 'checkout' },
      annotations: { summary: 'checkout is failing' },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
    };
    const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([alert]) });
    expect(response.status).toBe(200);
  };
  const both = async () => ({ pagerDuty: await alertsOf(t, pagerDuty.id), opsgenie: await alertsOf(t, opsgenie.id) });
  const amLog = () => alertmanager.lines().filter((line) => /notify|error|warn/i.test(line)).slice(-20).join('\n');
  const firingWithIncident = (rows: AlertRow[]) => rows.length === 1 && rows[0].status === 'FIRING' && rows[0].incident_id !== null;

  it('opens an alert and an incident through each receiver, and resolves both when the alert ends', async () => {
    await postAlert();
    const opened = await until('both receivers delivering the firing alert', both, (seen) => firingWithIncident(seen.pagerDuty) && firingWithIncident(seen.opsgenie), 45_000, amLog);
    // PagerDuty's default severity is "error"; the Opsgenie receiver's priority P2: both HIGH, P2.
    expect(opened.pagerDuty[0]).toMatchObject({ severity: 'HIGH', incident_status: 'TRIGGERED', incident_priority: 'P2', summary: expect.stringContaining('DropInCheckout') });
    expect(opened.opsgenie[0]).toMatchObject({ severity: 'HIGH', incident_status: 'TRIGGERED', incident_priority: 'P2', labels: { alertname: 'DropInCheckout', job: 'checkout', severity: 'critical' } });
    // Both are keyed by Alertmanager's group key hash.
    expect(opened.pagerDuty[0].fingerprint).toBe(opened.opsgenie[0].fingerprint);

    await postAlert(new Date(Date.now() - 1000));
    const resolved = await until(
      'both receivers delivering the resolve',
      both,
      (seen) => seen.pagerDuty[0]?.status === 'RESOLVED' && seen.opsgenie[0]?.status === 'RESOLVED',
      45_000,
      amLog,
    );
    expect(resolved.pagerDuty).toEqual([expect.objectContaining({ id: opened.pagerDuty[0].id, status: 'RESOLVED', incident_status: 'RESOLVED' })]);
    expect(resolved.opsgenie).toEqual([expect.objectContaining({ id: opened.opsgenie[0].id, status: 'RESOLVED', incident_status: 'RESOLVED' })]);
    // Nothing was refused on the way.
    expect(await t.app.db.query(`SELECT reason FROM dead_letter`)).toEqual([]);
  });
});
