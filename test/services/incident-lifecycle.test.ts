import { ActorType, IncidentSource, IncidentStage, IncidentStatus, Priority, Resolution } from '../../src/schema/enums';
import type { Incident } from '../../src/schema/incident.entity';
import { canTransition, type IncidentAction } from '../../src/services/incident-transitions';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { DomainError, ErrorCode } from '../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../support/test-app';

const responder: Actor = { type: ActorType.PERSON, id: 'person-ana', name: 'Ana Responder' };
const commander: Actor = { type: ActorType.TOKEN, id: 'token-bob', name: 'Bob Commander' };

const STATUSES = [IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED, IncidentStatus.MITIGATED, IncidentStatus.RESOLVED, IncidentStatus.REVIEWED];
const ACTIONS: IncidentAction[] = ['acknowledge', 'mitigate', 'resolve', 'markReviewed', 'reopenReview'];

/** The specification, written out by hand so a change to the transition table has to change this too. */
const ALLOWED: Record<IncidentStatus, IncidentAction[]> = {
  TRIGGERED: ['acknowledge', 'mitigate', 'resolve'],
  ACKNOWLEDGED: ['mitigate', 'resolve'],
  MITIGATED: ['resolve'],
  RESOLVED: ['markReviewed'],
  REVIEWED: ['reopenReview'],
};

const OUTCOME: Record<IncidentAction, { to: IncidentStatus; kind: string; stamp: TimestampField }> = {
  acknowledge: { to: IncidentStatus.ACKNOWLEDGED, kind: 'ACKNOWLEDGED', stamp: 'acknowledgedAt' },
  mitigate: { to: IncidentStatus.MITIGATED, kind: 'MITIGATED', stamp: 'mitigatedAt' },
  resolve: { to: IncidentStatus.RESOLVED, kind: 'RESOLVED', stamp: 'resolvedAt' },
  markReviewed: { to: IncidentStatus.REVIEWED, kind: 'REVIEWED', stamp: 'reviewedAt' },
  reopenReview: { to: IncidentStatus.RESOLVED, kind: 'REVIEW_REOPENED', stamp: 'reviewedAt' },
};

type TimestampField = 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'reviewedAt';
const TIMESTAMPS: TimestampField[] = ['acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'reviewedAt'];

/** How to bring a fresh TRIGGERED incident to each status. */
const PATH_TO: Record<IncidentStatus, IncidentAction[]> = {
  TRIGGERED: [],
  ACKNOWLEDGED: ['acknowledge'],
  MITIGATED: ['acknowledge', 'mitigate'],
  RESOLVED: ['acknowledge', 'mitigate', 'resolve'],
  REVIEWED: ['acknowledge', 'mitigate', 'resolve', 'markReviewed'],
};

const CASES = STATUSES.flatMap((from) => ACTIONS.map((action) => ({ from, action, allowed: ALLOWED[from].includes(action) })));

describe('incident lifecycle (IncidentService)', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    serviceId = (await t.app.services.catalog.createService({ name: 'Payments', slug: 'payments' })).id;
  });
  afterAll(() => t.close());

  const declare = (title = 'Card payments failing') =>
    t.app.services.incidents.declare(responder, { title, serviceId, priority: Priority.P2, source: IncidentSource.MONITORING });

  // The review's moves go through transitionIn, as the review service makes them (resolving opens an IRF, and
  // markReviewed by hand is for incidents without one).
  const run = (action: IncidentAction, actor: Actor, id: string, resolution?: Resolution): Promise<Incident> => {
    if (action === 'resolve') return t.app.services.incidents.resolve(actor, id, resolution);
    if (action === 'markReviewed' || action === 'reopenReview') return t.app.db.transaction((manager) => t.app.services.incidents.transitionIn(manager, actor, id, action));
    return t.app.services.incidents[action](actor, id);
  };

  async function incidentIn(status: IncidentStatus): Promise<Incident> {
    const incident = await declare(`incident that is ${status}`);
    for (const step of PATH_TO[status]) {
      clock.advance(60_000);
      await run(step, responder, incident.id);
    }
    const reloaded = await t.app.services.incidents.get(incident.id);
    expect(reloaded.status).toBe(status);
    return reloaded;
  }

  /** The incident's own lifecycle events (the review's, e.g. REVIEW_OPENED on resolving, are tested with the review). */
  async function timelineOf(incidentId: string) {
    return (await t.app.services.timeline.list(incidentId, 200)).filter((event) => !event.kind.startsWith('REVIEW_') || event.kind === 'REVIEW_REOPENED');
  }

  describe.each(CASES)('$action from $from', ({ from, action, allowed }) => {
    if (allowed) {
      it(`moves to ${OUTCOME[action].to}, stamps ${OUTCOME[action].stamp} and appends one ${OUTCOME[action].kind} event by the actor`, async () => {
        const before = await incidentIn(from);
        const eventsBefore = await timelineOf(before.id);
        clock.advance(5 * 60_000);
        const now = clock.now();

        const returned = await run(action, commander, before.id);
        const after = await t.app.services.incidents.get(before.id);

        const { to, kind, stamp } = OUTCOME[action];
        expect(returned.status).toBe(to);
        expect(after.status).toBe(to);
        expect(after[stamp]).toEqual(action === 'reopenReview' ? null : now);
        expect(after.updatedAt).toEqual(now);
        for (const other of TIMESTAMPS.filter((field) => field !== stamp)) {
          expect(after[other]).toEqual(before[other]);
        }
        if (action === 'resolve') expect(after.resolution).toBe(Resolution.FIXED);
        else expect(after.resolution).toBe(before.resolution);

        const eventsAfter = await timelineOf(before.id);
        expect(eventsAfter).toHaveLength(eventsBefore.length + 1);
        const [event] = eventsAfter;
        expect(event).toMatchObject({
          kind,
          at: now,
          actorType: ActorType.TOKEN,
          actorId: 'token-bob',
          actorName: 'Bob Commander',
          data: { from, to, ...(action === 'resolve' ? { resolution: 'FIXED' } : {}) },
        });
        expect(event.message).toContain('Bob Commander');
      });
    } else {
      it('is refused with CONFLICT and changes nothing', async () => {
        const before = await incidentIn(from);
        const eventsBefore = await timelineOf(before.id);
        clock.advance(5 * 60_000);

        const attempt = run(action, commander, before.id);
        await expect(attempt).rejects.toBeInstanceOf(DomainError);
        await expect(attempt).rejects.toMatchObject({ code: ErrorCode.CONFLICT, message: expect.stringContaining(from) });

        const after = await t.app.services.incidents.get(before.id);
        expect(after.status).toBe(from);
        expect(after.resolution).toBe(before.resolution);
        expect(after.updatedAt).toEqual(before.updatedAt);
        for (const field of TIMESTAMPS) expect(after[field]).toEqual(before[field]);
        expect(await timelineOf(before.id)).toHaveLength(eventsBefore.length);
      });
    }
  });

  it('covers all 5 statuses × 5 actions, 8 of them allowed, and canTransition agrees with every cell', () => {
    expect(CASES).toHaveLength(25);
    expect(CASES.filter((c) => c.allowed)).toHaveLength(8);
    for (const { from, action, allowed } of CASES) expect([from, action, canTransition(action, from)]).toEqual([from, action, allowed]);
  });

  it.each([Resolution.FIXED, Resolution.FALSE_POSITIVE])('records the resolution %s and names it in the timeline', async (resolution) => {
    const incident = await incidentIn(IncidentStatus.ACKNOWLEDGED);
    const resolved = await run('resolve', commander, incident.id, resolution);
    expect(resolved.resolution).toBe(resolution);
    expect((await t.app.services.incidents.get(incident.id)).resolution).toBe(resolution);
    const [event] = await timelineOf(incident.id);
    expect(event).toMatchObject({ kind: 'RESOLVED', data: { resolution }, message: expect.stringContaining(resolution) });
  });

  it('keeps the resolution through review', async () => {
    const incident = await declare();
    await run('resolve', responder, incident.id, Resolution.FALSE_POSITIVE);
    const reviewed = await run('markReviewed', responder, incident.id);
    expect(reviewed).toMatchObject({ status: IncidentStatus.REVIEWED, resolution: Resolution.FALSE_POSITIVE });
  });

  it('raises the priority of an open incident, and leaves a closed one as it was', async () => {
    const open = await declare('raised while open');
    await t.app.db.transaction((manager) => t.app.services.incidents.raisePriorityIn(manager, responder, open.id, Priority.P1));
    expect((await t.app.services.incidents.get(open.id)).priority).toBe(Priority.P1);

    const closed = await incidentIn(IncidentStatus.RESOLVED);
    await t.app.db.transaction((manager) => t.app.services.incidents.raisePriorityIn(manager, responder, closed.id, Priority.P1));
    expect((await t.app.services.incidents.get(closed.id)).priority).toBe(Priority.P2);
    expect((await timelineOf(closed.id)).map((event) => event.kind)).not.toContain('PRIORITY_RAISED');
  });

  it('refuses an unknown incident with NOT_FOUND and a malformed id with BAD_USER_INPUT', async () => {
    await expect(run('acknowledge', responder, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    await expect(run('acknowledge', responder, 'not-a-uuid')).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'id' });
  });

  describe('declaring', () => {
    it('opens TRIGGERED with the next number and one INCIDENT_DECLARED event by the actor', async () => {
      const first = await declare('first');
      const second = await declare('second');
      expect(second.number).toBe(first.number + 1);
      expect(second).toMatchObject({ status: IncidentStatus.TRIGGERED, resolution: null, acknowledgedAt: null, resolvedAt: null, openedAt: clock.now() });
      const events = await timelineOf(second.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        kind: 'INCIDENT_DECLARED',
        actorType: ActorType.PERSON,
        actorName: 'Ana Responder',
        data: { priority: 'P2', source: 'MONITORING', serviceId },
      });
    });
  });

  describe('stage', () => {
    it.each([
      [IncidentStatus.TRIGGERED, IncidentStage.IDENTIFICATION],
      [IncidentStatus.ACKNOWLEDGED, IncidentStage.INTERVENTION],
      [IncidentStatus.MITIGATED, IncidentStage.INTERVENTION],
      [IncidentStatus.RESOLVED, IncidentStage.REVIEW],
      [IncidentStatus.REVIEWED, IncidentStage.REVIEW],
    ])('is derived from %s as %s, also over GraphQL', async (status, stage) => {
      const incident = await incidentIn(status);
      expect(incident.stage).toBe(stage);
      const response = await t.gql<{ incident: { status: string; stage: string } }>(`query($id: ID!) { incident(id: $id) { status stage } }`, { id: incident.id });
      expect(response.data).toEqual({ incident: { status, stage } });
    });
  });

  describe('time to acknowledge / resolve', () => {
    it('counts whole seconds from opening, on the injected clock', async () => {
      clock.set('2026-03-02T08:00:00Z');
      const incident = await declare('slow SMS');
      expect(incident.timeToAcknowledgeSeconds).toBeNull();
      expect(incident.timeToResolveSeconds).toBeNull();

      clock.advance(90_000);
      const acknowledged = await run('acknowledge', responder, incident.id);
      expect(acknowledged.timeToAcknowledgeSeconds).toBe(90);
      expect(acknowledged.timeToResolveSeconds).toBeNull();

      clock.advance(600_000);
      await run('resolve', responder, incident.id);
      const resolved = await t.app.services.incidents.get(incident.id);
      expect(resolved.timeToAcknowledgeSeconds).toBe(90);
      expect(resolved.timeToResolveSeconds).toBe(690);

      const response = await t.gql(`query($id: ID!) { incident(id: $id) { openedAt acknowledgedAt resolvedAt timeToAcknowledgeSeconds timeToResolveSeconds } }`, {
        id: incident.id,
      });
      expect(response.data).toEqual({
        incident: {
          openedAt: '2026-03-02T08:00:00.000Z',
          acknowledgedAt: '2026-03-02T08:01:30.000Z',
          resolvedAt: '2026-03-02T08:11:30.000Z',
          timeToAcknowledgeSeconds: 90,
          timeToResolveSeconds: 690,
        },
      });
    });

    it('measures time to resolve directly from TRIGGERED, leaving time to acknowledge empty', async () => {
      const incident = await declare('false alarm');
      clock.advance(45_000);
      const resolved = await run('resolve', responder, incident.id, Resolution.FALSE_POSITIVE);
      expect(resolved.timeToResolveSeconds).toBe(45);
      expect(resolved.timeToAcknowledgeSeconds).toBeNull();
    });
  });

  describe('updateIncident', () => {
    it('writes the changed fields, from and to, into one INCIDENT_UPDATED event', async () => {
      const incident = await declare('SMS delayed');
      clock.advance(30_000);
      const now = clock.now();
      const updated = await t.app.services.incidents.update(commander, incident.id, {
        title: '  SMS delayed in EU  ',
        priority: Priority.P1,
        description: null,
        impact: { channels: ['SMS', 'SMS', ' RCS '] },
      });
      expect(updated).toMatchObject({ title: 'SMS delayed in EU', priority: Priority.P1, impactChannels: ['SMS', 'RCS'], updatedAt: now });

      const events = await timelineOf(incident.id);
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ kind: 'INCIDENT_UPDATED', at: now, actorName: 'Bob Commander', actorType: ActorType.TOKEN });
      expect(events[0].data).toEqual({
        changes: {
          title: { from: 'SMS delayed', to: 'SMS delayed in EU' },
          priority: { from: 'P2', to: 'P1' },
          impactChannels: { from: [], to: ['SMS', 'RCS'] },
        },
      });

      const stored = await t.app.services.incidents.get(incident.id);
      expect(stored).toMatchObject({ title: 'SMS delayed in EU', priority: Priority.P1, impactChannels: ['SMS', 'RCS'], status: IncidentStatus.TRIGGERED });
    });

    it('appends nothing and leaves updatedAt alone when nothing changes', async () => {
      const incident = await declare('Voice outage');
      clock.advance(30_000);
      const unchanged = await t.app.services.incidents.update(commander, incident.id, { title: 'Voice outage', priority: Priority.P2, impact: { locations: [] } });
      expect(unchanged.updatedAt).toEqual(incident.updatedAt);
      expect((await t.app.services.incidents.get(incident.id)).updatedAt).toEqual(incident.updatedAt);
      expect(await timelineOf(incident.id)).toHaveLength(1);
    });

    it('refuses an empty title or an unknown owner with BAD_USER_INPUT naming the field, and changes nothing', async () => {
      const incident = await declare('Email bounce');
      await expect(t.app.services.incidents.update(commander, incident.id, { title: '   ', priority: Priority.P1 })).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'title',
      });
      await expect(t.app.services.incidents.update(commander, incident.id, { ownerId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'ownerId',
      });
      const stored = await t.app.services.incidents.get(incident.id);
      expect(stored).toMatchObject({ title: 'Email bounce', priority: Priority.P2, ownerId: null });
      expect(await timelineOf(incident.id)).toHaveLength(1);
    });

    it('sets and clears the owner', async () => {
      const person = await t.app.services.catalog.createPerson({ name: 'Carla', email: 'carla@example.com' });
      const incident = await declare('Webhook lag');
      await t.app.services.incidents.update(commander, incident.id, { ownerId: person.id });
      await t.app.services.incidents.update(commander, incident.id, { ownerId: null });
      const events = await timelineOf(incident.id);
      expect(events.map((event) => event.data)).toEqual([
        { changes: { ownerId: { from: person.id, to: null } } },
        { changes: { ownerId: { from: null, to: person.id } } },
        expect.objectContaining({ priority: 'P2' }),
      ]);
    });
  });

  describe('addNote', () => {
    it('appends one trimmed NOTE_ADDED event by the actor, leaving the incident as it was', async () => {
      const incident = await declare('DNS flapping');
      clock.advance(10_000);
      const note = await t.app.services.incidents.addNote(responder, incident.id, '  rolled back resolver config  ');
      expect(note).toMatchObject({ incidentId: incident.id, kind: 'NOTE_ADDED', message: 'rolled back resolver config', actorName: 'Ana Responder', at: clock.now() });
      const events = await timelineOf(incident.id);
      expect(events).toHaveLength(2);
      expect(events[0].id).toBe(note.id);
      const stored = await t.app.services.incidents.get(incident.id);
      expect(stored.status).toBe(IncidentStatus.TRIGGERED);
      expect(stored.updatedAt).toEqual(incident.updatedAt);
    });

    it('refuses an empty note (BAD_USER_INPUT text) and an unknown incident (NOT_FOUND)', async () => {
      const incident = await declare('CDN errors');
      await expect(t.app.services.incidents.addNote(responder, incident.id, '   ')).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'text' });
      await expect(t.app.services.incidents.addNote(responder, '00000000-0000-4000-8000-000000000000', 'hello')).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
      expect(await timelineOf(incident.id)).toHaveLength(1);
    });
  });
});
