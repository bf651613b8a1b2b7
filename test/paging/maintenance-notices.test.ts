import { ActorType } from '../../src/schema/enums';
import type { Actor } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver';
import { startTestApp, type TestApp } from '../support/test-app';

const rita: Actor = { type: ActorType.PERSON, id: null, name: 'Rita Responder' };
const FIVE_MINUTES = 5 * 60_000;

describe('maintenance notices to the team, by e-mail, once each across two instances', () => {
  const clock = new ManualClock('2026-06-01T09:10:00Z');
  let smtp: SmtpReceiver;
  let first: TestApp;
  let second: TestApp;
  let teamId: string;
  let serviceId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    const config = { JOBS_ENABLED: 'false', SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'incident-bridge <maintenance@example.com>' };
    first = await startTestApp({ clock, config });
    second = await startTestApp({ clock, config, sameDatabaseAs: first });
    const services = first.app.services;
    serviceId = (await services.catalog.createService({ name: 'SMS gateway', slug: 'sms-gateway' })).id;
    // Diana has no contact method: her notices go to her e-mail address.
    const diana = await services.catalog.createPerson({ name: 'Diana DevOps', email: 'diana@example.com' });
    teamId = (await services.teams.create({ name: 'DevOps', memberIds: [diana.id] })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await smtp.close();
  });

  /** One tick of both instances: the lifecycle job, then delivery, at the same moment. */
  const tick = async () => {
    await Promise.all([first.app.services.maintenance.runDue(), second.app.services.maintenance.runDue()]);
    await Promise.all([first.app.services.delivery.drain(), second.app.services.delivery.drain()]);
  };

  it('sends a 3-hour window\'s announcement, start, exactly 3 hourly notices and its end, each once', async () => {
    const window = await first.app.services.maintenance.schedule(rita, { title: 'Core router swap', serviceIds: [serviceId], teamId, startsAt: new Date('2026-06-01T10:00:00Z'), endsAt: new Date('2026-06-01T13:00:00Z') });
    // Every five minutes from the announcement to past the end, both instances at once.
    while (clock.now().getTime() <= new Date('2026-06-01T13:15:00Z').getTime()) {
      await tick();
      clock.advance(FIVE_MINUTES);
    }
    expect((await first.app.services.maintenance.get(window.id)).status).toBe('COMPLETED');

    // The marker: one more notice, after all of the window's, for the same person.
    await first.app.services.maintenance.schedule(rita, { title: 'Marker window', serviceIds: [serviceId], teamId, startsAt: new Date('2026-06-02T10:00:00Z'), endsAt: new Date('2026-06-02T11:00:00Z') });
    await tick();
    const mails = await smtp.waitForMessages(7, 5000);
    expect(mails.at(-1)!.header('subject')).toContain('Marker window');
    // The third hourly notice and the end are decided in the same tick (at the end), and may arrive in either order.
    const subjects = mails.slice(0, -1).map((mail) => mail.header('subject')).sort();
    expect(subjects).toEqual([
      'Emergency maintenance scheduled: Core router swap',
      'Maintenance started: Core router swap',
      'Maintenance under way (hour 1): Core router swap',
      'Maintenance under way (hour 2): Core router swap',
      'Maintenance under way (hour 3): Core router swap',
      'Maintenance completed: Core router swap',
    ].sort());
    expect(new Set(mails.map((mail) => mail.envelope.rcptTo.join()))).toEqual(new Set(['diana@example.com']));
    const keys = mails.map((mail) => mail.header('x-idempotency-key'));
    expect(new Set(keys).size).toBe(7);
    expect(keys).toContainEqual(expect.stringMatching(new RegExp(`^maintenance:${window.id}:HOURLY:1:`)));
    expect(await first.app.db.query(`SELECT kind, occurrence, decided_at FROM maintenance_notice WHERE window_id = $1 ORDER BY decided_at, kind, occurrence`, [window.id])).toEqual([
      { kind: 'ANNOUNCED', occurrence: 'once', decided_at: new Date('2026-06-01T09:10:00Z') },
      { kind: 'STARTED', occurrence: 'once', decided_at: new Date('2026-06-01T10:00:00Z') },
      { kind: 'HOURLY', occurrence: '1', decided_at: new Date('2026-06-01T11:00:00Z') },
      { kind: 'HOURLY', occurrence: '2', decided_at: new Date('2026-06-01T12:00:00Z') },
      { kind: 'COMPLETED', occurrence: 'once', decided_at: new Date('2026-06-01T13:00:00Z') },
      { kind: 'HOURLY', occurrence: '3', decided_at: new Date('2026-06-01T13:00:00Z') },
    ]);
  });
});
