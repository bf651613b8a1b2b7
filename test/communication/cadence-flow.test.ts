import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ChannelKind, EscalationTargetType, Role, Vendor } from '../../src/schema/enums';
import { RotationUnit } from '../../src/schema/schedule.entity';
import { ManualClock } from '../../src/shared/clock';
import { connectWs, Subscription } from '../api/ws-client';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver';
import { startTestApp, type TestApp } from '../support/test-app';

const MINUTE = 60_000;
const OPENED = '2026-11-23T03:00:00.000Z';
const at = (minutes: number, seconds = 0) => new Date(Date.parse(OPENED) + minutes * MINUTE + seconds * 1000).toISOString();

interface ObligationView {
  id: string;
  kind: string;
  dueAt: string;
  metAt: string | null;
  overdue: boolean;
  metByStatusUpdateId: string | null;
  metByCallId: string | null;
  endedAt: string | null;
  endedReason: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
}
interface CommunicationView {
  obligations: ObligationView[];
  nextDueAt: string | null;
  overdueCount: number;
}

/** Rows in a stable order, whatever order obligations due at the same instant come in. */
const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();

const COMMUNICATION = `query($id: ID!) { incident(id: $id) { communication {
  obligations { id kind dueAt metAt overdue metByStatusUpdateId metByCallId endedAt endedReason remindedAt escalatedAt } nextDueAt overdueCount } } }`;

describe('communication cadence: obligations, reminders and escalation with the clock moved, to a real SMTP receiver', () => {
  const clock = new ManualClock(OPENED);
  let smtp: SmtpReceiver;
  let t: TestApp;
  let serviceId: string;
  let people: { olga: string; nuno: string; owen: string };
  let unique = 0;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp({
      clock,
      config: {
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'incident-bridge <pager@example.com>',
        ESCALATION_SCHEDULE: '0 0 0 1 1 *',
        DELIVERY_SCHEDULE: '0 0 0 1 1 *',
        COMMUNICATION_SCHEDULE: '0 0 0 1 1 *',
      },
    });
    const { catalog, schedules, paging } = t.app.services;
    const olga = await catalog.createPerson({ name: 'Olga On-call', email: 'olga@example.com' });
    const nuno = await catalog.createPerson({ name: 'Nuno Next', email: 'nuno@example.com' });
    const owen = await catalog.createPerson({ name: 'Owen Owner', email: 'owen@example.com' });
    people = { olga: olga.id, nuno: nuno.id, owen: owen.id };
    const rota = await schedules.create({ name: 'Around the clock', timeZone: 'UTC', layers: [{ participants: [olga.id], rotation: { unit: RotationUnit.DAYS, length: 1 }, start: '2026-11-01T00:00' }] });
    const policy = await paging.createPolicy({
      name: 'on-call, then Nuno',
      steps: [
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.SCHEDULE, id: rota.id }] },
        { delayMinutes: 5, targets: [{ type: EscalationTargetType.PERSON, id: nuno.id }] },
      ],
    });
    const service = await catalog.createService({ name: 'SMS API', slug: 'sms-api' });
    await paging.setServicePolicy(service.id, policy.id);
    serviceId = service.id;
  });
  // Each test runs the job over its own incident only: what earlier tests left open is ended.
  afterEach(async () => {
    await t.app.db.query(`UPDATE communication_obligation SET ended_at = now(), ended_reason = 'test over', next_action_at = NULL WHERE met_at IS NULL AND ended_at IS NULL`);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function must<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const result = await t.gql<T>(query, variables, token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  }

  /** A fresh incident at `OPENED` (the clock is set back there), acknowledged so its escalation is out of the way. */
  async function declared(priority = 'P1', ownerId: string | null = null): Promise<string> {
    clock.set(OPENED);
    const { declareIncident } = await must<{ declareIncident: { incident: { id: string } } }>(
      `mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { incident { id } } }`,
      { i: { title: `SMS API answers 503 (${(unique += 1)})`, serviceId, priority, ownerId } },
    );
    await must(`mutation($i: IncidentIdInput!) { acknowledgeIncident(input: $i) { incident { id } } }`, { i: { id: declareIncident.incident.id } });
    return declareIncident.incident.id;
  }

  async function post(incidentId: string, audience: 'INTERNAL' | 'PUBLIC', body = `${audience.toLowerCase()} update ${(unique += 1)}`): Promise<string> {
    const { postStatusUpdate } = await must<{ postStatusUpdate: { statusUpdate: { id: string } } }>(
      `mutation($i: PostStatusUpdateInput!) { postStatusUpdate(input: $i) { statusUpdate { id } } }`,
      { i: { incidentId, body, audience } },
    );
    return postStatusUpdate.statusUpdate.id;
  }

  async function communication(incidentId: string): Promise<CommunicationView> {
    return (await must<{ incident: { communication: CommunicationView } }>(COMMUNICATION, { id: incidentId })).incident.communication;
  }

  const open = (view: CommunicationView) => view.obligations.filter((obligation) => !obligation.metAt && !obligation.endedAt);
  const byKind = (view: CommunicationView, kind: string) => view.obligations.filter((obligation) => obligation.kind === kind);

  async function runAt(instant: string): Promise<number> {
    clock.set(instant);
    return t.app.services.communicationReminders.runDue();
  }

  /** Runs delivery until nothing due is left; a run the commit of a decision started is waited for too. */
  async function deliver(): Promise<void> {
    await t.app.scheduler.trigger('delivery');
  }

  /** The cadence e-mails received (escalation pages of the incidents go to the receiver too, whenever delivered). */
  const cadenceMails = () => smtp.messages.filter((mail) => /\] #\d+ (overdue|still missing):/.test(mail.header('subject') ?? ''));

  const cadenceMessages = async (incidentId: string) =>
    t.app.db.query(
      `SELECT n.reason, p.name, n.status, n.data->>'kind' AS kind FROM notification n JOIN person p ON p.id = n.person_id
        WHERE n.incident_id = $1 AND n.idempotency_key LIKE 'cadence:%' ORDER BY n.created_at, p.name`,
      [incidentId],
    );

  it('A P1 with no public update: exactly one reminder at 15 minutes, one escalation after the grace; posting the update stops both and schedules the next 30-minute obligation', async () => {
    const incidentId = await declared('P1');

    const opened = await communication(incidentId);
    expect(sorted(opened.obligations.map(({ kind, dueAt, overdue }) => [kind, dueAt, overdue]))).toEqual(
      sorted([
        ['FIRST_PUBLIC_NOTICE', at(15), false],
        ['INTERNAL_UPDATE', at(30), false],
        ['INCIDENT_CALL', at(60), false],
        ['STATUS_PAGE_UPDATE', at(60), false],
      ]),
    );
    expect(opened).toMatchObject({ nextDueAt: at(15), overdueCount: 0 });

    // The team posts internally at 03:05: that is not the public notice.
    clock.set(at(5));
    await post(incidentId, 'INTERNAL');

    expect(await runAt(at(14, 59))).toBe(0);
    expect(await runAt(at(15))).toBe(1);
    expect(await runAt(at(15, 30))).toBe(0);
    await deliver();
    expect(cadenceMails()).toHaveLength(1);
    const [reminder] = cadenceMails();
    expect(reminder.envelope.rcptTo).toEqual(['olga@example.com']);
    expect(reminder.header('subject')).toContain('overdue: the first public notice');
    expect(reminder.text).toContain('was due at 03:15 UTC');
    const overdue = await communication(incidentId);
    expect(byKind(overdue, 'FIRST_PUBLIC_NOTICE')).toEqual([expect.objectContaining({ overdue: true, remindedAt: at(15), escalatedAt: null, metAt: null })]);
    expect(overdue).toMatchObject({ nextDueAt: at(15), overdueCount: 1 });

    // Ten minutes of grace (P1): then one escalation, to the next step of the service's policy.
    expect(await runAt(at(24, 59))).toBe(0);
    expect(await runAt(at(25))).toBe(1);
    expect(await runAt(at(26))).toBe(0);
    await deliver();
    expect(cadenceMails()).toHaveLength(2);
    const escalation = cadenceMails()[1];
    expect(escalation.envelope.rcptTo).toEqual(['nuno@example.com']);
    expect(escalation.header('subject')).toContain('still missing: the first public notice');

    clock.set(at(27));
    const publicUpdate = await post(incidentId, 'PUBLIC', 'SMS API: sends fail in eu-west with 503; we are on it');
    const after = await communication(incidentId);
    expect(byKind(after, 'FIRST_PUBLIC_NOTICE')).toEqual([expect.objectContaining({ metAt: at(27), metByStatusUpdateId: publicUpdate, overdue: false, escalatedAt: at(25) })]);
    expect(byKind(after, 'PUBLIC_UPDATE')).toEqual([expect.objectContaining({ dueAt: at(57), metAt: null, overdue: false, remindedAt: null })]);
    // The status page shows public updates: its hourly obligation is met too, and runs an hour from now.
    expect(byKind(after, 'STATUS_PAGE_UPDATE').map(({ dueAt, metAt }) => ({ dueAt, metAt }))).toEqual([
      { dueAt: at(60), metAt: at(27) },
      { dueAt: at(87), metAt: null },
    ]);
    expect(sorted(open(after).map(({ kind, dueAt }) => [kind, dueAt]))).toEqual(
      sorted([
        ['INCIDENT_CALL', at(60)],
        ['INTERNAL_UPDATE', at(35)],
        ['PUBLIC_UPDATE', at(57)],
        ['STATUS_PAGE_UPDATE', at(87)],
      ]),
    );
    expect(after).toMatchObject({ nextDueAt: at(35), overdueCount: 0 });

    // Neither the reminder nor the escalation comes again for the met obligation.
    expect(await runAt(at(34))).toBe(0);
    await deliver();
    expect(cadenceMails()).toHaveLength(2);
    expect(await cadenceMessages(incidentId)).toEqual([
      { reason: 'cadence reminder: FIRST_PUBLIC_NOTICE', name: 'Olga On-call', status: 'SENT', kind: 'FIRST_PUBLIC_NOTICE' },
      { reason: 'cadence escalation: FIRST_PUBLIC_NOTICE', name: 'Nuno Next', status: 'SENT', kind: 'FIRST_PUBLIC_NOTICE' },
    ]);
    const { incident } = await must<{ incident: { timeline: Array<{ kind: string; message: string; actor: { type: string } }> } }>(
      `query($id: ID!) { incident(id: $id) { timeline(first: 100) { kind message actor { type } } } }`,
      { id: incidentId },
    );
    const cadenceEvents = incident.timeline.filter((event) => event.kind.startsWith('COMMUNICATION_')).reverse();
    expect(cadenceEvents).toEqual([
      { kind: 'COMMUNICATION_REMINDER', message: 'the first public notice was due at 03:15 UTC: reminded Olga On-call', actor: { type: 'SYSTEM' } },
      { kind: 'COMMUNICATION_ESCALATED', message: 'the first public notice was due at 03:15 UTC: escalated to Nuno Next', actor: { type: 'SYSTEM' } },
    ]);

    // The next obligations are reminded in their turn: the internal update (03:35) and the public one (03:57).
    expect(await runAt(at(57))).toBe(2);
    expect((await cadenceMessages(incidentId)).slice(2).map((row: { kind: string }) => row.kind).sort()).toEqual(['INTERNAL_UPDATE', 'PUBLIC_UPDATE']);
  });

  it('INTERNAL updates meet the team cadence only; PUBLIC ones the first notice and the status page, not the team cadence', async () => {
    const incidentId = await declared('P2');
    clock.set(at(3));
    const internal = await post(incidentId, 'INTERNAL');
    let view = await communication(incidentId);
    expect(byKind(view, 'INTERNAL_UPDATE').map(({ dueAt, metAt, metByStatusUpdateId }) => ({ dueAt, metAt, metByStatusUpdateId }))).toEqual([
      { dueAt: at(30), metAt: at(3), metByStatusUpdateId: internal },
      { dueAt: at(33), metAt: null, metByStatusUpdateId: null },
    ]);
    expect(byKind(view, 'FIRST_PUBLIC_NOTICE')).toEqual([expect.objectContaining({ metAt: null })]);
    expect(byKind(view, 'STATUS_PAGE_UPDATE')).toEqual([expect.objectContaining({ metAt: null })]);

    clock.set(at(10));
    const published = await post(incidentId, 'PUBLIC');
    view = await communication(incidentId);
    expect(byKind(view, 'FIRST_PUBLIC_NOTICE')).toEqual([expect.objectContaining({ metAt: at(10), metByStatusUpdateId: published })]);
    expect(byKind(view, 'STATUS_PAGE_UPDATE').map(({ metAt }) => metAt)).toEqual([at(10), null]);
    expect(byKind(view, 'PUBLIC_UPDATE')).toEqual([expect.objectContaining({ dueAt: at(40), metAt: null })]);
    expect(byKind(view, 'INTERNAL_UPDATE').map(({ dueAt, metAt }) => ({ dueAt, metAt }))).toEqual([
      { dueAt: at(30), metAt: at(3) },
      { dueAt: at(33), metAt: null },
    ]);
  });

  it('recordIncidentCall stores the call on the timeline and meets the call obligation; the next is due an hour later', async () => {
    const incidentId = await declared('P1');
    clock.set(at(45));
    const { recordIncidentCall } = await must<{ recordIncidentCall: { incidentCall: { id: string; attendees: string[]; notes: string; recordedBy: string; heldAt: string } } }>(
      `mutation($i: RecordIncidentCallInput!) { recordIncidentCall(input: $i) { incidentCall { id attendees notes recordedBy heldAt } } }`,
      { i: { incidentId, attendees: [' Olga On-call ', 'Nuno Next', 'Olga On-call', 'Twilio support'], notes: 'Failover to the second SMPP bind at 03:50.' } },
      await t.tokenFor(Role.RESPONDER, 'responder Rui'),
    );
    expect(recordIncidentCall.incidentCall).toEqual({
      id: expect.any(String),
      attendees: ['Olga On-call', 'Nuno Next', 'Twilio support'],
      notes: 'Failover to the second SMPP bind at 03:50.',
      recordedBy: 'responder Rui',
      heldAt: at(45),
    });
    const view = await communication(incidentId);
    expect(byKind(view, 'INCIDENT_CALL').map(({ dueAt, metAt, metByCallId }) => ({ dueAt, metAt, metByCallId }))).toEqual([
      { dueAt: at(60), metAt: at(45), metByCallId: recordIncidentCall.incidentCall.id },
      { dueAt: at(105), metAt: null, metByCallId: null },
    ]);
    expect(byKind(view, 'FIRST_PUBLIC_NOTICE')).toEqual([expect.objectContaining({ metAt: null, overdue: true })]);
    const { incident } = await must<{ incident: { calls: Array<{ id: string }>; timeline: Array<{ kind: string; message: string; data: { callId: string } }> } }>(
      `query($id: ID!) { incident(id: $id) { calls { id } timeline(first: 50) { kind message data } } }`,
      { id: incidentId },
    );
    expect(incident.calls).toEqual([{ id: recordIncidentCall.incidentCall.id }]);
    // Its escalation page may be recorded as sent after the call (delivery runs on its own after each commit).
    expect(incident.timeline.filter((event) => event.kind === 'INCIDENT_CALL_RECORDED')).toEqual([{
      kind: 'INCIDENT_CALL_RECORDED',
      message: 'incident call with Olga On-call, Nuno Next, Twilio support: Failover to the second SMPP bind at 03:50.',
      data: { callId: recordIncidentCall.incidentCall.id, attendees: ['Olga On-call', 'Nuno Next', 'Twilio support'] },
    }]);
  });

  it('refuses a call without attendees (BAD_USER_INPUT naming attendees) and an unknown incident (NOT_FOUND), writing nothing; a VIEWER may not record one', async () => {
    const incidentId = await declared('P1');
    const calls = async () => Number((await t.app.db.query(`SELECT count(*) FROM incident_call`))[0].count);
    const before = await calls();
    const document = `mutation($i: RecordIncidentCallInput!) { recordIncidentCall(input: $i) { incidentCall { id } } }`;
    for (const attendees of [[], ['  ']]) {
      const refused = await t.gql(document, { i: { incidentId, attendees } });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attendees' });
    }
    const unknown = await t.gql(document, { i: { incidentId: '00000000-0000-4000-8000-000000000000', attendees: ['Olga'] } });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const viewer = await t.gql(document, { i: { incidentId, attendees: ['Olga'] } }, await t.tokenFor(Role.VIEWER));
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await calls()).toBe(before);
    expect(byKind(await communication(incidentId), 'INCIDENT_CALL')).toEqual([expect.objectContaining({ metAt: null })]);
  });

  it('the owner is reminded first; the escalation then goes to the first step of the policy (the on-call)', async () => {
    const incidentId = await declared('P1', people.owen);
    expect(await runAt(at(15))).toBe(1);
    expect(await runAt(at(25))).toBe(1);
    expect(await cadenceMessages(incidentId)).toEqual([
      expect.objectContaining({ reason: 'cadence reminder: FIRST_PUBLIC_NOTICE', name: 'Owen Owner' }),
      expect.objectContaining({ reason: 'cadence escalation: FIRST_PUBLIC_NOTICE', name: 'Olga On-call' }),
    ]);
  });

  it('resolving ends every open obligation: nothing is owed, reminded or escalated after it, and reminders not yet sent are cancelled', async () => {
    const incidentId = await declared('P1', people.owen);
    // Owen is e-mailed 5 minutes after a message is decided: the reminder at 03:15 waits until 03:20.
    const method = await t.app.services.paging.addContactMethod({ personId: people.owen, channel: ChannelKind.EMAIL, address: 'owen@example.com' });
    const rule = await t.app.services.paging.addNotificationRule({ contactMethodId: method.id, delayMinutes: 5 });
    try {
      expect(await runAt(at(15))).toBe(1);
      expect(await cadenceMessages(incidentId)).toEqual([expect.objectContaining({ name: 'Owen Owner', status: 'PENDING' })]);
      clock.set(at(16));
      await must(`mutation($i: ResolveIncidentInput!) { resolveIncident(input: $i) { incident { status } } }`, { i: { id: incidentId } });
      const view = await communication(incidentId);
      expect(open(view)).toEqual([]);
      expect(view).toMatchObject({ nextDueAt: null, overdueCount: 0 });
      expect(sorted(view.obligations.map(({ kind, endedAt, endedReason, overdue }) => [kind, endedAt, endedReason, overdue]))).toEqual(
        sorted(['FIRST_PUBLIC_NOTICE', 'INTERNAL_UPDATE', 'INCIDENT_CALL', 'STATUS_PAGE_UPDATE'].map((kind) => [kind, at(16), 'incident resolved', false])),
      );
      expect(await cadenceMessages(incidentId)).toEqual([expect.objectContaining({ name: 'Owen Owner', status: 'CANCELLED' })]);
      expect(await runAt(at(180))).toBe(0);
      // A closing public update on the resolved incident meets nothing and plans nothing.
      await post(incidentId, 'PUBLIC', 'Resolved: SMS sends work again.');
      expect(open(await communication(incidentId))).toEqual([]);
    } finally {
      await t.app.services.paging.removeNotificationRule(rule.id);
      await t.app.services.paging.removeContactMethod(method.id);
    }
  });

  it('a priority change plans the cadence again under the new policy, counted from the same start', async () => {
    const incidentId = await declared('P3');
    expect(sorted(open(await communication(incidentId)).map(({ kind, dueAt }) => [kind, dueAt]))).toEqual(
      sorted([
        ['FIRST_PUBLIC_NOTICE', at(60)],
        ['INTERNAL_UPDATE', at(120)],
        ['STATUS_PAGE_UPDATE', at(120)],
      ]),
    );
    clock.set(at(10));
    await must(`mutation($i: UpdateIncidentInput!) { updateIncident(input: $i) { incident { priority } } }`, { i: { id: incidentId, priority: 'P1' } });
    const view = await communication(incidentId);
    expect(sorted(open(view).map(({ kind, dueAt }) => [kind, dueAt]))).toEqual(
      sorted([
        ['FIRST_PUBLIC_NOTICE', at(15)],
        ['INTERNAL_UPDATE', at(30)],
        ['INCIDENT_CALL', at(60)],
        ['STATUS_PAGE_UPDATE', at(60)],
      ]),
    );
    expect(sorted(view.obligations.filter((obligation) => obligation.endedAt).map(({ kind, endedAt, endedReason }) => [kind, endedAt, endedReason]))).toEqual(
      sorted(['FIRST_PUBLIC_NOTICE', 'INTERNAL_UPDATE', 'STATUS_PAGE_UPDATE'].map((kind) => [kind, at(10), 'priority changed from P3 to P1'])),
    );
  });

  it('an incident opened by alerts owes the same cadence from the moment it opened', async () => {
    clock.set(OPENED);
    const { integration, secret } = await t.app.services.integrations.create({ name: 'PagerDuty events', vendor: Vendor.GENERIC, serviceId });
    const payload = JSON.parse(readFileSync(join(__dirname, '../fixtures/generic/trigger.json'), 'utf8'));
    const response = await request(t.url).post(`/webhooks/${integration.id}`).set('Authorization', `Bearer ${secret}`).send(payload);
    expect(response.status).toBe(202);
    const [incidentId] = response.body.incidentIds;
    const { incident } = await must<{ incident: { priority: 'P1' | 'P2' | 'P3' | 'P4'; communication: CommunicationView } }>(
      `query($id: ID!) { incident(id: $id) { priority communication { obligations { kind dueAt } } } }`,
      { id: incidentId },
    );
    const policy = (await t.app.services.communicationPolicies.list()).find((candidate) => candidate.priority === incident.priority)!;
    const firstNotice = policy.firstPublicNoticeMinutes ?? policy.publicUpdateMinutes;
    expect(incident.communication.obligations.find((obligation) => obligation.kind === 'INTERNAL_UPDATE')?.dueAt).toBe(at(policy.internalUpdateMinutes!));
    if (firstNotice) expect(incident.communication.obligations.find((obligation) => obligation.kind === 'FIRST_PUBLIC_NOTICE')?.dueAt).toBe(at(firstNotice));
  });

  it('communicationDue tells a subscriber when obligations are planned, become overdue, escalate, are met and end', async () => {
    const incidentId = await declared('P1');
    const client = connectWs(t, t.adminToken);
    type Event = { communicationDue: { stage: string; obligation: { id: string; kind: string; dueAt: string; metByStatusUpdateId: string | null; incident: { id: string } } } };
    const events = new Subscription<Event>(
      client,
      `subscription($id: ID) { communicationDue(incidentId: $id) { stage obligation { id kind dueAt metByStatusUpdateId incident { id } } } }`,
      { id: incidentId },
    );
    try {
      // Live once an internal update's MET event arrives (each try meets the internal obligation planned by the last).
      await events.untilLive(
        () => post(incidentId, 'INTERNAL'),
        (result, marker) => result.data?.communicationDue.stage === 'MET' && result.data.communicationDue.obligation.metByStatusUpdateId === marker,
      );
      // In step with the server: everything up to the MET of one more internal update is behind us.
      const marker = await post(incidentId, 'INTERNAL');
      for (;;) {
        const { data } = await events.next();
        if (data?.communicationDue.stage === 'MET' && data.communicationDue.obligation.metByStatusUpdateId === marker) break;
      }
      const take = async (count: number) => {
        const taken: Array<[string, string]> = [];
        for (let index = 0; index < count; index += 1) {
          const { data } = await events.next();
          expect(data!.communicationDue.obligation.incident.id).toBe(incidentId);
          taken.push([data!.communicationDue.stage, data!.communicationDue.obligation.kind]);
        }
        return taken;
      };
      // That update's MET is followed by the next internal obligation.
      expect(await take(1)).toEqual([['SCHEDULED', 'INTERNAL_UPDATE']]);

      expect(await runAt(at(15))).toBe(1);
      expect(await take(1)).toEqual([['OVERDUE', 'FIRST_PUBLIC_NOTICE']]);
      expect(await runAt(at(25))).toBe(1);
      expect(await take(1)).toEqual([['ESCALATED', 'FIRST_PUBLIC_NOTICE']]);

      clock.set(at(26));
      await post(incidentId, 'PUBLIC');
      expect((await take(4)).sort()).toEqual(
        [
          ['MET', 'FIRST_PUBLIC_NOTICE'],
          ['MET', 'STATUS_PAGE_UPDATE'],
          ['SCHEDULED', 'PUBLIC_UPDATE'],
          ['SCHEDULED', 'STATUS_PAGE_UPDATE'],
        ].sort(),
      );
      await must(`mutation($i: ResolveIncidentInput!) { resolveIncident(input: $i) { incident { status } } }`, { i: { id: incidentId } });
      expect((await take(4)).sort()).toEqual(
        [
          ['ENDED', 'INCIDENT_CALL'],
          ['ENDED', 'INTERNAL_UPDATE'],
          ['ENDED', 'PUBLIC_UPDATE'],
          ['ENDED', 'STATUS_PAGE_UPDATE'],
        ].sort(),
      );
    } finally {
      events.close();
      await client.dispose();
    }
  });
});
