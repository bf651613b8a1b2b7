import {
  createReferenceOrganisation,
  FOLLOW_THE_SUN,
  followTheSunShiftAt,
  REFERENCE_ESCALATION_CHAIN,
  REFERENCE_INTEGRATIONS,
} from '../../scripts/support/reference-organisation';
import { ManualClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('the reference organisation as data and as created (seed:demo, bench:paging and the paging tests share it)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock('2026-11-23T00:00:00Z') });
  });
  afterAll(() => t.close());

  it('pages, every hour of a day, the person whose shift followTheSunShiftAt names, then Helena and Luciane', async () => {
    const organisation = await createReferenceOrganisation(t.app.services, t.app.db);
    const backups = FOLLOW_THE_SUN.backups.map((key) => organisation.people[key]);
    for (let hour = 0; hour < 24; hour += 1) {
      const at = new Date(Date.parse('2026-11-23T00:30:00Z') + hour * HOUR);
      const shift = FOLLOW_THE_SUN.shifts[followTheSunShiftAt(at)];
      expect({ hour, ...(await t.app.services.onCall.whoIsOnCall(organisation.scheduleId, at)) }).toEqual({ hour, primary: [organisation.people[shift.person]], backups });
    }
    const policy = await t.app.services.paging.policiesByIds([organisation.policyId]);
    expect(policy[0].steps.map((step) => step.delayMinutes)).toEqual(REFERENCE_ESCALATION_CHAIN.steps.map((step) => step.delayMinutes));
  });

  it('reuses everything on a second run, showing no secret again', async () => {
    const first = await createReferenceOrganisation(t.app.services, t.app.db);
    const again = await createReferenceOrganisation(t.app.services, t.app.db);
    expect({ ...again, integrations: again.integrations.map(({ id }) => id) }).toEqual({ ...first, integrations: first.integrations.map(({ id }) => id) });
    expect(again.integrations.map(({ name, secret }) => ({ name, secret }))).toEqual(REFERENCE_INTEGRATIONS.map(({ name }) => ({ name, secret: null })));
  });
});
