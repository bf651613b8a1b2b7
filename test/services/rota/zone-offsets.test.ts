import { IANAZone } from 'luxon';
import { offsetMinutes } from '../../../src/services/rota/wall-clock';

/** The remembered per-day offsets must agree with Intl (through Luxon) at every instant, around every change too. */
describe('zone offsets remembered per steady day', () => {
  const zones = ['UTC', 'Europe/Lisbon', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'Africa/Casablanca'];
  const from = Date.UTC(2026, 0, 1);
  const to = Date.UTC(2027, 0, 1);
  // Changes are minutes apart at the least, so 29-minute steps see each one; probes around it check the minute.
  const STEP = 29 * 60_000;

  it.each(zones)('%s: every 29 minutes of 2026, and a minute either side of each change', (zone) => {
    const iana = IANAZone.create(zone);
    const mismatches: string[] = [];
    let changes = 0;
    for (let ms = from; ms < to; ms += STEP) {
      const probes = [ms];
      if (iana.offset(ms) !== iana.offset(ms + STEP)) {
        changes += 1;
        let low = ms;
        let high = ms + STEP;
        while (high - low > 60_000) {
          const mid = low + Math.floor((high - low) / 120_000) * 60_000;
          if (iana.offset(mid) === iana.offset(ms)) low = mid;
          else high = mid;
        }
        probes.push(low, high, high - 1, high + 60_000);
      }
      for (const probe of probes) {
        if (offsetMinutes(zone, probe) !== iana.offset(probe)) mismatches.push(`${new Date(probe).toISOString()}: ${offsetMinutes(zone, probe)} vs ${iana.offset(probe)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The zones with daylight saving changed in 2026 (so the test did look at changes).
    if (!['UTC', 'Asia/Kathmandu'].includes(zone)) expect(changes).toBeGreaterThanOrEqual(2);
  });
});
