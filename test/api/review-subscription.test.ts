import { ActorType, Priority, Role } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { startTestApp, type TestApp } from '../support/test-app';
import { connectWs, connectedOnce, Subscription } from './ws-client';

const ana: Actor = { type: ActorType.TOKEN, id: 'token-ana', name: 'Ana Responder' };

describe('reviewUpdated', () => {
  let t: TestApp;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    serviceId = (await t.app.services.catalog.createService({ name: 'Email', slug: 'email' })).id;
  });
  afterAll(() => t.close());

  async function resolvedIncident(title: string): Promise<string> {
    const incident = await t.app.services.incidents.declare(ana, { title, serviceId, priority: Priority.P3 });
    await t.app.services.incidents.resolve(ana, incident.id);
    return incident.id;
  }

  it("sends the IRF after each change of the incident it follows, and nothing of other incidents' reviews", async () => {
    const followed = await resolvedIncident('followed');
    const other = await resolvedIncident('other');
    const client = connectWs(t, await t.tokenFor(Role.VIEWER, 'review-subscriber'));
    try {
      const connected = connectedOnce(client);
      const events = new Subscription<{ reviewUpdated: { lessons: string | null; revision: number; incident: { id: string } } }>(
        client,
        `subscription($id: ID) { reviewUpdated(incidentId: $id) { lessons revision incident { id } } }`,
        { id: followed },
      );
      await connected;
      let marker = 0;
      const mark = async () => {
        const lessons = `marker ${(marker += 1)}`;
        await t.app.services.reviews.updateSection(ana, { incidentId: followed, lessons });
        return lessons;
      };
      const isMarker = (result: { data?: { reviewUpdated: { lessons: string | null } } | null }, lessons: string) => result.data?.reviewUpdated.lessons === lessons;
      await events.untilLive(mark, isMarker);

      await t.app.services.reviews.updateSection(ana, { incidentId: other, lessons: 'not for this subscriber' });
      const before = await events.untilMarker(mark, isMarker);
      expect(before).toEqual([]);

      await t.app.services.reviews.submit(ana, followed);
      const submitted = await events.next();
      expect(submitted.data!.reviewUpdated.incident.id).toBe(followed);
    } finally {
      await client.dispose();
    }
  });
});
