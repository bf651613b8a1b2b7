import type { DataSource } from 'typeorm';
import { closedDatesOf } from '../../shared/business-days';

/** Local dates lie within 14 hours of UTC either way (UTC−12 to UTC+14). */
const ZONE_REACH_MS = 14 * 3_600_000;

/**
 * The holidays of every region people's working hours name (Person.workingHours.holidayRegion), over the years the
 * period's local dates can fall in, for the interruption bands' SQL (pageBandSql): a handful of dates per region and
 * year, worked out by date-holidays, which PostgreSQL has no equivalent of.
 */
export async function holidayDatesOfPeople(db: DataSource, from: Date, to: Date): Promise<Record<string, string[]>> {
  const rows: Array<{ region: string }> = await db.query(
    `SELECT DISTINCT working_hours->>'holidayRegion' AS region FROM person WHERE working_hours->>'holidayRegion' IS NOT NULL ORDER BY 1`,
  );
  const firstYear = new Date(from.getTime() - ZONE_REACH_MS).getUTCFullYear();
  const lastYear = new Date(to.getTime() + ZONE_REACH_MS).getUTCFullYear();
  return Object.fromEntries(rows.map(({ region }) => [region, closedDatesOf(region, firstYear, lastYear)]));
}
