import type { Client } from 'graphql-ws';
import { ActorType, IncidentSource, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';
import { connectedOnce, connectWs, Subscription } from './ws-client';

const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test setup' };

interface IncidentResult {
  id: string;
  title: string;
  status: string;
}

describe('GraphQL subscriptions over graphql-ws', () => {
  let t: TestApp;
  let serviceId: string;
  let responder: string;
  let client: Client;
  let counter = 0;

  beforeAll(async () => {
    t = await startTestApp();
    serviceId = (await t.app.services.catalog.createService({ name: 'Voice', slug: 'voice' })).id;
    responder = await t.tokenFor(Role.RESPONDER);
  });
  beforeEach(async () => {
    client = connectWs(t, await t.tokenFor(Role.VIEWER, 'subscriber'));
  });
  afterEach(() => client.dispose());
  afterAll(() => t.close());

  async function subscribe<T>(query: string, variables?: Record<string, unknown>): Promise<Subscription<T>> {
    const connected = connectedOnce(client);
    const subscription = new Subscription<T>(client, query, variables);
    await connected;
    return subscription;
  }

  const probeIncident = async (title = `probe ${(counter += 1)}`) =>
    (await t.app.services.incidents.declare(system, { title, serviceId, priority: Priority.P4 })).id;

  async function declareOverApi(title: string): Promise<string> {
    const response = await t.gql<{ declareIncident: { incident: { id: string } } }>(
      `mutation($s: ID!, $title: String!) { declareIncident(input: { title: $title, serviceId: $s, priority: P1 }) { incident { id } } }`,
      { s: serviceId, title },
      responder,
    );
    expect(response.errors).toBeUndefined();
    return response.data!.declareIncident.incident.id;
  }

  const incidentCount = async () => Number((await t.app.db.query('SELECT count(*) AS n FROM incident'))[0].n);

  it('incidentCreated delivers { id title } of an incident declared over HTTP', async () => {
    const subscription = await subscribe<{ incidentCreated: IncidentResult }>(`subscription { incidentCreated { id title } }`);
    await subscription.untilLive(probeIncident, (result, id) => result.data?.incidentCreated.id === id);

    const id = await declareOverApi('Calls dropping in Lisbon');

    expect(await subscription.next()).toEqual({ data: { incidentCreated: { id, title: 'Calls dropping in Lisbon' } }, extensions: { cursor: expect.stringMatching(/^\d+$/) } });
    expect(await subscription.untilMarker(probeIncident, (result, marker) => result.data?.incidentCreated.id === marker)).toEqual([]);
  });

  it('incidentUpdated(filter: { status: [ACKNOWLEDGED] }) delivers the acknowledgement and not unrelated changes', async () => {
    const subscription = await subscribe<{ incidentUpdated: IncidentResult }>(
      `subscription { incidentUpdated(filter: { status: [ACKNOWLEDGED] }) { id title status } }`,
    );
    await subscription.untilLive(
      async () => {
        const id = await probeIncident();
        await t.app.services.incidents.acknowledge(system, id);
        return id;
      },
      (result, id) => result.data?.incidentUpdated.id === id,
    );

    const renamed = await probeIncident('to be renamed');
    const mitigated = await probeIncident('to be mitigated');
    const acknowledged = await probeIncident('to be acknowledged');
    const noChange = await t.gql(`mutation($id: ID!) { updateIncident(input: { id: $id, title: "renamed", priority: P2 }) { incident { id } } }`, { id: renamed }, responder);
    expect(noChange.errors).toBeUndefined();
    expect((await t.gql(`mutation($id: ID!) { mitigateIncident(input: { id: $id }) { incident { id } } }`, { id: mitigated }, responder)).errors).toBeUndefined();
    await t.gql(`mutation($id: ID!) { addTimelineNote(input: { incidentId: $id, text: "a note is not an update" }) { timelineEvent { id } } }`, { id: acknowledged }, responder);
    const ack = await t.gql(`mutation($id: ID!) { acknowledgeIncident(input: { id: $id }) { incident { id } } }`, { id: acknowledged }, responder);
    expect(ack.errors).toBeUndefined();

    expect(await subscription.next()).toEqual({ data: { incidentUpdated: { id: acknowledged, title: 'to be acknowledged', status: 'ACKNOWLEDGED' } }, extensions: { cursor: expect.stringMatching(/^\d+$/) } });
    const acknowledgedProbe = async () => {
      const id = await probeIncident();
      await t.app.services.incidents.acknowledge(system, id);
      return id;
    };
    expect(await subscription.untilMarker(acknowledgedProbe, (result, marker) => result.data?.incidentUpdated.id === marker)).toEqual([]);
  });

  it('incidentUpdated(filter: { incidentId }) follows one incident only', async () => {
    const watched = await probeIncident('watched');
    const other = await probeIncident('other');
    const subscription = await subscribe<{ incidentUpdated: IncidentResult }>(`subscription($id: ID!) { incidentUpdated(filter: { incidentId: $id }) { id title status } }`, {
      id: watched,
    });
    let title = 0;
    await subscription.untilLive(
      async () => {
        await t.app.services.incidents.update(system, watched, { title: `watched ${(title += 1)}` });
        return `watched ${title}`;
      },
      (result, marker) => result.data?.incidentUpdated.title === marker,
    );

    await t.app.services.incidents.acknowledge(system, other);
    await t.app.services.incidents.mitigate(system, watched);

    expect(await subscription.next()).toMatchObject({ data: { incidentUpdated: { id: watched, status: 'MITIGATED' } } });
    const renameWatched = async () => {
      await t.app.services.incidents.update(system, watched, { title: `watched ${(title += 1)}` });
      return `watched ${title}`;
    };
    expect(await subscription.untilMarker(renameWatched, (result, marker) => result.data?.incidentUpdated.title === marker)).toEqual([]);
  });

  it('shows related rows as they are at each event, not as they were at the first', async () => {
    const watched = await probeIncident('renamed service');
    const subscription = await subscribe<{ incidentUpdated: { title: string; service: { name: string } } }>(
      `subscription($id: ID!) { incidentUpdated(filter: { incidentId: $id }) { title service { name } } }`,
      { id: watched },
    );
    let round = 0;
    await subscription.untilLive(
      async () => {
        await t.app.services.incidents.update(system, watched, { title: `round ${(round += 1)}` });
        return `round ${round}`;
      },
      (result, marker) => result.data?.incidentUpdated.title === marker,
    );
    await t.app.services.catalog.updateService(serviceId, { name: 'Voice (renamed)' });
    await t.app.services.incidents.update(system, watched, { title: 'after the rename' });
    expect((await subscription.next()).data).toEqual({ incidentUpdated: { title: 'after the rename', service: { name: 'Voice (renamed)' } } });
    await t.app.services.catalog.updateService(serviceId, { name: 'Voice' });
  });

  it('timelineEventAdded(incidentId) delivers a note on that incident and nothing from others', async () => {
    const watched = await probeIncident('watched timeline');
    const other = await probeIncident('other timeline');
    const subscription = await subscribe<{ timelineEventAdded: { id: string; kind: string; message: string; actor: { name: string } } }>(
      `subscription($id: ID!) { timelineEventAdded(incidentId: $id) { id kind message actor { name } } }`,
      { id: watched },
    );
    await subscription.untilLive(
      async () => (await t.app.services.incidents.addNote(system, watched, `probe note ${(counter += 1)}`)).id,
      (result, id) => result.data?.timelineEventAdded.id === id,
    );

    await t.app.services.incidents.addNote(system, other, 'not for this subscriber');
    const note = await t.gql<{ addTimelineNote: { timelineEvent: { id: string } } }>(
      `mutation($id: ID!) { addTimelineNote(input: { incidentId: $id, text: "carrier confirmed the fault" }) { timelineEvent { id } } }`,
      { id: watched },
      responder,
    );
    expect(note.errors).toBeUndefined();

    expect(await subscription.next()).toEqual({
      data: {
        timelineEventAdded: {
          id: note.data!.addTimelineNote.timelineEvent.id,
          kind: 'NOTE_ADDED',
          message: 'carrier confirmed the fault',
          actor: { name: 'responder token' },
        },
      },
      extensions: { cursor: expect.stringMatching(/^\d+$/) },
    });
    const noteOnWatched = async () => (await t.app.services.incidents.addNote(system, watched, `marker ${(counter += 1)}`)).id;
    expect(await subscription.untilMarker(noteOnWatched, (result, marker) => result.data?.timelineEventAdded.id === marker)).toEqual([]);
  });

  it('publishes nothing for an incident whose transaction rolled back', async () => {
    const subscription = await subscribe<{ incidentCreated: IncidentResult }>(`subscription { incidentCreated { id title } }`);
    await subscription.untilLive(probeIncident, (result, id) => result.data?.incidentCreated.id === id);
    const countBefore = await incidentCount();

    let rolledBackId: string | undefined;
    const failing = t.app.db.transaction(async (manager) => {
      const opened = await t.app.services.incidents.open(manager, system, {
        title: 'never happened',
        description: null,
        serviceId,
        priority: Priority.P1,
        source: IncidentSource.MONITORING,
        impact: { locations: [], channels: [], products: [], description: null },
        ownerId: null,
      });
      rolledBackId = opened?.id;
      throw new Error('rollback');
    });
    await expect(failing).rejects.toThrow('rollback');
    expect(rolledBackId).toEqual(expect.any(String));
    expect(await incidentCount()).toBe(countBefore);
    expect(await t.app.db.query('SELECT id FROM timeline_event WHERE incident_id = $1', [rolledBackId])).toEqual([]);

    const realId = await declareOverApi('really happened');

    const first = await subscription.next();
    expect(first).toEqual({ data: { incidentCreated: { id: realId, title: 'really happened' } }, extensions: { cursor: expect.stringMatching(/^\d+$/) } });
    expect(await subscription.untilMarker(probeIncident, (result, marker) => result.data?.incidentCreated.id === marker)).toEqual([]);
  });

  it('publishes neither the update nor its timeline event for a transition that rolled back', async () => {
    const target = await probeIncident('rollback target');
    const updates = await subscribe<{ incidentUpdated: IncidentResult }>(`subscription($id: ID!) { incidentUpdated(filter: { incidentId: $id }) { id title status } }`, {
      id: target,
    });
    const events = new Subscription<{ timelineEventAdded: { id: string; kind: string } }>(client, `subscription($id: ID!) { timelineEventAdded(incidentId: $id) { id kind } }`, {
      id: target,
    });
    let title = 0;
    await updates.untilLive(
      async () => {
        await t.app.services.incidents.update(system, target, { title: `rollback target ${(title += 1)}` });
        return `rollback target ${title}`;
      },
      (result, marker) => result.data?.incidentUpdated.title === marker,
    );
    await events.untilLive(
      async () => (await t.app.services.incidents.addNote(system, target, `probe ${(counter += 1)}`)).id,
      (result, id) => result.data?.timelineEventAdded.id === id,
    );

    const failing = t.app.db.transaction(async (manager) => {
      const acknowledged = await t.app.services.incidents.transitionIn(manager, system, target, 'acknowledge');
      expect(acknowledged.status).toBe('ACKNOWLEDGED');
      throw new Error('rollback');
    });
    await expect(failing).rejects.toThrow('rollback');
    expect((await t.app.services.incidents.get(target)).status).toBe('TRIGGERED');

    await t.app.services.incidents.mitigate(system, target);

    expect(await updates.next()).toEqual({ data: { incidentUpdated: { id: target, title: `rollback target ${title}`, status: 'MITIGATED' } }, extensions: { cursor: expect.stringMatching(/^\d+$/) } });
    expect(await events.next()).toMatchObject({ data: { timelineEventAdded: { kind: 'MITIGATED' } } });
    const noteOnTarget = async () => (await t.app.services.incidents.addNote(system, target, `marker ${(counter += 1)}`)).id;
    expect(await events.untilMarker(noteOnTarget, (result, marker) => result.data?.timelineEventAdded.id === marker)).toEqual([]);
    const renameTarget = async () => {
      await t.app.services.incidents.update(system, target, { title: `rollback target ${(title += 1)}` });
      return `rollback target ${title}`;
    };
    expect(await updates.untilMarker(renameTarget, (result, marker) => result.data?.incidentUpdated.title === marker)).toEqual([]);
  });

  it('rejects an invalid subscription with a GraphQL error, keeping the connection', async () => {
    const bad = await subscribe(`subscription { incidentCreated { nope } }`);
    const error = (await bad.ended()) as Array<{ message: string }>;
    expect(Array.isArray(error)).toBe(true);
    expect(error[0].message).toContain('nope');

    const good = new Subscription<{ incidentCreated: IncidentResult }>(client, `subscription { incidentCreated { id } }`);
    await good.untilLive(probeIncident, (result, id) => result.data?.incidentCreated.id === id);
  });
});
