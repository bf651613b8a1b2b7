import { ActorType, Priority } from '../../../src/schema/enums';
import type { Actor } from '../../../src/shared/actor';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, type TestApp } from '../../support/test-app';

const DEFAULT_HOURS = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
const system: Actor = { type: ActorType.SYSTEM, id: null, name: 'test' };
const FROM = new Date('2026-03-02T00:00:00Z');
const TO = new Date('2026-03-04T00:00:00Z');
const HOLIDAYS_FROM = new Date('2026-05-01T00:00:00Z');
const HOLIDAYS_TO = new Date('2026-06-15T00:00:00Z');

/**
 * Interruptions follow each person's own working hours: Cy works a night shift in Tokyo (UTC+9) Monday to Wednesday
 * 22:00–06:00, so a page at 05:59 on Tuesday is still business hours (Monday's shift) while 06:00 is sleep; Di keeps
 * the default Monday–Friday 09:00–18:00 in UTC. Holidays: Eva works the default hours in Lisbon with Portugal's
 * holidays off (Wednesday 10 June 2026 is Dia de Portugal); Kenji works Monday–Friday 22:00–06:00 in Tokyo with
 * Japan's (Wednesday 6 May 2026 is a substitute holiday), so the shift beginning on it is off after midnight too.
 */
describe('working hours decide interruptions', () => {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  let t: TestApp;
  let cy: string;
  let di: string;
  let incidentId: string;
  let eva: string;
  let kenji: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { JOBS_ENABLED: 'false' } });
    const { catalog, incidents } = t.app.services;
    cy = (await catalog.createPerson({ name: 'Cy', email: 'cy@example.com', timeZone: 'Asia/Tokyo', workingHours: { days: [3, 1, 2, 2], start: '22:00', end: '06:00' } })).id;
    di = (await catalog.createPerson({ name: 'Di', email: 'di@example.com' })).id;
    const serviceId = (await catalog.createService({ name: 'API', slug: 'api' })).id;
    clock.set(new Date('2026-03-02T12:00:00Z'));
    incidentId = (await incidents.declare(system, { title: 'Night', serviceId, priority: Priority.P2 })).id;
    let n = 0;
    const page = (personId: string, sentAt: string) =>
      t.app.db.query(
        `INSERT INTO notification (idempotency_key, incident_id, person_id, channel, address, subject, body, reason, status, attempts, max_attempts, next_attempt_at, created_at, sent_at)
         VALUES ($1, $2, $3, 'SMS', 'x', 's', 'b', 'escalation', 'SENT', 1, 5, $4, $4, $4)`,
        [`wh-${(n += 1)}`, incidentId, personId, new Date(sentAt)],
      );
    await page(cy, '2026-03-02T13:30:00Z'); // Tokyo Monday 22:30: business (Monday's shift)
    await page(cy, '2026-03-02T20:59:00Z'); // Tuesday 05:59: business (still Monday's shift)
    await page(cy, '2026-03-02T21:00:00Z'); // Tuesday 06:00: sleep
    await page(cy, '2026-03-03T03:00:00Z'); // Tuesday 12:00: off
    await page(di, '2026-03-02T17:59:00Z'); // UTC Monday 17:59: business
    await page(di, '2026-03-02T18:00:00Z'); // 18:00: off

    eva = (await catalog.createPerson({ name: 'Eva', email: 'eva@example.com', timeZone: 'Europe/Lisbon', workingHours: { ...DEFAULT_HOURS, holidayRegion: ' PT ' } })).id;
    kenji = (await catalog.createPerson({ name: 'Kenji', email: 'kenji@example.com', timeZone: 'Asia/Tokyo', workingHours: { days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', holidayRegion: 'JP' } })).id;
    clock.set(new Date('2026-05-06T12:00:00Z'));
    incidentId = (await incidents.declare(system, { title: 'Holidays', serviceId, priority: Priority.P2 })).id;
    await page(kenji, '2026-05-06T14:00:00Z'); // Tokyo Wednesday 6 May 23:00, a holiday: sleep
    await page(kenji, '2026-05-06T18:00:00Z'); // Thursday 03:00 of the shift begun on the holiday: sleep
    await page(kenji, '2026-05-07T14:00:00Z'); // Thursday 23:00: business
    await page(kenji, '2026-05-07T18:00:00Z'); // Friday 03:00 of Thursday's shift: business
    await page(eva, '2026-06-10T09:00:00Z'); // Lisbon (UTC+1) Wednesday 10 June 10:00, Dia de Portugal: off
    await page(eva, '2026-06-11T09:00:00Z'); // Thursday 10:00: business
  }, 60_000);
  afterAll(() => t.close());

  it('stores the hours checked and normalised, defaulting to Monday–Friday 09:00–18:00', async () => {
    expect((await t.app.services.catalog.getPerson(cy)).workingHours).toEqual({ days: [1, 2, 3], start: '22:00', end: '06:00' });
    expect((await t.app.services.catalog.getPerson(di)).workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' });
  });

  /** [pages, business, off, sleep] per person (responderMetrics) and for the incidents (incidentMetrics' total). */
  async function bandsOver(from: Date, to: Date): Promise<{ of: (personId: string) => number[]; incidents: number[] }> {
    const rows = await t.app.services.responderMetrics.compute({ from, to });
    const { total } = await t.app.services.incidentMetrics.compute({ from, to });
    return {
      of: (personId) => {
        const row = rows.find((candidate) => candidate.personId === personId)!;
        return [row.pagesReceived, row.businessHoursPages, row.offHoursPages, row.sleepHoursPages];
      },
      incidents: [total.pagesSent, total.pagesInBusinessHours, total.pagesInOffHours, total.pagesInSleepHours],
    };
  }

  it('places each page by its recipient’s hours, for people and for incidents', async () => {
    const bands = await bandsOver(FROM, TO);
    expect(bands.of(cy)).toEqual([4, 2, 1, 1]);
    expect(bands.of(di)).toEqual([2, 1, 1, 0]);
    expect(bands.incidents).toEqual([6, 3, 2, 1]);
  });

  it('counts a working day that is a holiday of the person’s region as off, the night after it too', async () => {
    expect((await t.app.services.catalog.getPerson(eva)).workingHours).toEqual({ ...DEFAULT_HOURS, holidayRegion: 'PT' });
    const bands = await bandsOver(HOLIDAYS_FROM, HOLIDAYS_TO);
    expect(bands.of(kenji)).toEqual([4, 2, 0, 2]);
    expect(bands.of(eva)).toEqual([2, 1, 1, 0]);
    expect(bands.incidents).toEqual([6, 3, 1, 2]);
  });

  it('refuses a holiday region the holiday calendar does not know, naming the field', async () => {
    const refused = (holidayRegion: string) =>
      t.app.services.catalog.updatePerson(eva, { workingHours: { ...DEFAULT_HOURS, holidayRegion } }).then(
        () => null,
        (error: { field?: string; message: string }) => `${error.field}: ${error.message}`,
      );
    expect(await refused('XX')).toMatch(/^workingHours\.holidayRegion: .*unknown country "XX"/);
    expect(await refused('DE-ZZ')).toMatch(/^workingHours\.holidayRegion: .*unknown state or region "ZZ" of DE/);
    expect((await t.app.services.catalog.updatePerson(eva, { workingHours: { ...DEFAULT_HOURS, holidayRegion: null } })).workingHours).toEqual(DEFAULT_HOURS);
  });

  it('refuses invalid hours naming the field, and changes them on update', async () => {
    const { catalog } = t.app.services;
    const refused = (hours: { days: number[]; start: string; end: string }) =>
      catalog.updatePerson(di, { workingHours: hours }).then(
        () => null,
        (error: { field?: string }) => error.field,
      );
    expect(await refused({ days: [0], start: '09:00', end: '17:00' })).toBe('workingHours.days[0]');
    expect(await refused({ days: [1], start: '9:00', end: '17:00' })).toBe('workingHours.start');
    expect(await refused({ days: [1], start: '24:00', end: '17:00' })).toBe('workingHours.start');
    expect(await refused({ days: [1], start: '09:00', end: '25:00' })).toBe('workingHours.end');
    expect(await refused({ days: [1], start: '09:00', end: '09:00' })).toBe('workingHours.end');
    const changed = await catalog.updatePerson(di, { workingHours: { days: [6, 7], start: '08:00', end: '24:00' } });
    expect(changed.workingHours).toEqual({ days: [6, 7], start: '08:00', end: '24:00' });
    const rows = await t.app.services.responderMetrics.compute({ from: FROM, to: TO });
    const row = rows.find((candidate) => candidate.personId === di)!;
    expect([row.businessHoursPages, row.offHoursPages]).toEqual([0, 2]);
  });
});
