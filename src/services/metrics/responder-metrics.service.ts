import type { DataSource } from 'typeorm';
import type { ResponderMetricsRow } from '../../schema/metrics.types';
import type { OnCallService } from '../on-call.service';
import { MAX_TIMELINE_DAYS } from '../on-call.service';
import type { IncidentMetricsArgs, IncidentMetricsService } from './incident-metrics.service';
import { durationStatsOf } from './metric-values';
import { responderMetricsSql } from './responder-metrics.sql';

const DAY_MS = 86_400_000;

/**
 * Per-person on-call load: pages and interruptions (computed in PostgreSQL, each page placed in its recipient's own
 * zone), acknowledgements, and hours on call from the schedules' resolved shifts.
 */
export class ResponderMetricsService {
  constructor(
    private readonly db: DataSource,
    private readonly metrics: IncidentMetricsService,
    private readonly onCall: OnCallService,
  ) {}

  async compute(args: Omit<IncidentMetricsArgs, 'groupBy' | 'timeZone'>): Promise<ResponderMetricsRow[]> {
    const query = await this.metrics.validated({ ...args, groupBy: [] });
    const { sql, params } = responderMetricsSql(query);
    const [rows, hours] = await Promise.all([this.db.query(sql, params) as Promise<Array<Record<string, unknown>>>, this.onCallHours(query.from, query.to)]);
    const byPerson = new Map<string, ResponderMetricsRow>();
    const empty = (personId: string): ResponderMetricsRow => ({
      personId,
      pagesReceived: 0,
      businessHoursPages: 0,
      offHoursPages: 0,
      sleepHoursPages: 0,
      incidentsAcknowledged: 0,
      timeToAcknowledge: { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null },
      onCallHours: 0,
    });
    for (const row of rows) {
      byPerson.set(row.person_id as string, {
        ...empty(row.person_id as string),
        pagesReceived: Number(row.pages),
        businessHoursPages: Number(row.business_pages),
        offHoursPages: Number(row.off_pages),
        sleepHoursPages: Number(row.sleep_pages),
        incidentsAcknowledged: Number(row.acknowledged),
        timeToAcknowledge: durationStatsOf(row, 'tta'),
      });
    }
    for (const [personId, onCallHours] of hours) byPerson.set(personId, { ...(byPerson.get(personId) ?? empty(personId)), onCallHours });
    const names = new Map<string, string>(
      ((await this.db.query(`SELECT id, name FROM person WHERE id = ANY($1)`, [[...byPerson.keys()]])) as Array<{ id: string; name: string }>).map((person) => [person.id, person.name]),
    );
    return [...byPerson.values()].sort((a, b) => (names.get(a.personId) ?? '').localeCompare(names.get(b.personId) ?? '') || a.personId.localeCompare(b.personId));
  }

  /** Each person's time on call over every schedule, windows of at most the resolver's range, overlaps merged. */
  private async onCallHours(from: Date, to: Date): Promise<Map<string, number>> {
    const schedules: Array<{ id: string }> = await this.db.query(`SELECT id FROM schedule ORDER BY id`);
    const intervals = new Map<string, Array<[number, number]>>();
    for (let start = from.getTime(); start < to.getTime(); start += MAX_TIMELINE_DAYS * DAY_MS) {
      const end = Math.min(to.getTime(), start + MAX_TIMELINE_DAYS * DAY_MS);
      for (const { id } of schedules) {
        for (const shift of (await this.onCall.shifts(id, new Date(start), new Date(end))).shifts) {
          const list = intervals.get(shift.personId) ?? [];
          list.push([Math.max(shift.start.getTime(), start), Math.min(shift.end.getTime(), end)]);
          intervals.set(shift.personId, list);
        }
      }
    }
    const hours = new Map<string, number>();
    for (const [personId, list] of intervals) {
      list.sort((a, b) => a[0] - b[0]);
      let total = 0;
      let [open, close] = list[0];
      for (const [s, e] of list.slice(1)) {
        if (s > close) {
          total += close - open;
          [open, close] = [s, e];
        } else close = Math.max(close, e);
      }
      total += close - open;
      hours.set(personId, total / 3_600_000);
    }
    return hours;
  }
}
