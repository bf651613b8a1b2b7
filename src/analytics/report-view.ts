import type { IncidentMetrics, IncidentMetricsRow, ResponderMetricsRow } from '../schema/metrics.types';

/** The report's charts as geometry for report.eta: every number placed here, the template only draws it. */
export interface ReportView {
  title: string;
  period: string;
  filterText: string;
  totals: Array<{ label: string; value: string }>;
  perWeek: BarChart;
  timings: LineChart;
  noise: BarChart;
  interruptions: StackedBarChart;
}

/** One bar per person, stacked by band, with the same numbers in the table. */
export interface StackedBarChart {
  caption: string;
  height: number;
  bands: Array<{ name: string; tone: string }>;
  bars: Array<{ label: string; values: number[]; parts: Array<{ x: number; y: number; width: number; height: number; tone: string; title: string }> }>;
  maxLabel: string;
}

export interface BarChart {
  caption: string;
  unit: string;
  height: number;
  bars: Array<{ x: number; y: number; width: number; height: number; label: string; value: string }>;
  maxLabel: string;
}

export interface LineChart {
  caption: string;
  height: number;
  labels: string[];
  series: Array<{ name: string; tone: string; points: string; values: string[] }>;
  maxLabel: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const TONES = ['tone-a', 'tone-b', 'tone-c', 'tone-d'];

const minutes = (seconds: number | null) => (seconds === null ? null : seconds / 60);
const shown = (value: number | null, digits = 1) => (value === null ? 'none' : Number(value.toFixed(digits)).toString());
const day = (at: Date | null) => (at ? at.toISOString().slice(0, 10) : '');

export function reportView(byWeek: IncidentMetrics, byService: IncidentMetrics, serviceNames: Map<string, string>, responders: Array<ResponderMetricsRow & { name: string }>, filterText: string): ReportView {
  const weeks = byWeek.rows;
  const { total } = byWeek;
  return {
    title: 'Incident report',
    period: `${day(byWeek.from)} to ${day(new Date(byWeek.to.getTime() - 1))} (periods in ${byWeek.timeZone})`,
    filterText,
    totals: [
      { label: 'Incidents opened', value: String(total.opened) },
      { label: 'Still open at the end', value: String(total.stillOpen) },
      { label: 'MTTA (mean, minutes)', value: shown(minutes(total.timeToAcknowledge.meanSeconds)) },
      { label: 'MTTR (mean, minutes)', value: shown(minutes(total.timeToResolve.meanSeconds)) },
      { label: 'Alerts per incident', value: shown(total.alertsPerIncident, 2) },
      { label: 'False positives', value: total.falsePositiveShare === null ? 'none resolved' : `${shown(total.falsePositiveShare * 100)} %` },
    ],
    perWeek: barChart('Incidents opened per week', 'incidents', weeks.map((row) => ({ label: `Week of ${day(row.periodStart)}`, value: row.opened }))),
    timings: lineChart(
      'Time to acknowledge and resolve per week, in minutes (median and 90th percentile)',
      weeks.map((row) => day(row.periodStart)),
      [
        { name: 'MTTA median', values: weeks.map((row) => minutes(row.timeToAcknowledge.medianSeconds)) },
        { name: 'MTTA p90', values: weeks.map((row) => minutes(row.timeToAcknowledge.p90Seconds)) },
        { name: 'MTTR median', values: weeks.map((row) => minutes(row.timeToResolve.medianSeconds)) },
        { name: 'MTTR p90', values: weeks.map((row) => minutes(row.timeToResolve.p90Seconds)) },
      ],
    ),
    noise: barChart(
      'Noise: alerts per incident, per service',
      'alerts per incident',
      byService.rows
        .filter((row: IncidentMetricsRow) => row.opened > 0)
        .map((row) => ({ label: serviceNames.get(row.serviceId ?? '') ?? 'Unknown service', value: row.alertsPerIncident ?? 0 }))
        .sort((a, b) => b.value - a.value),
    ),
    interruptions: stackedBarChart(
      'Interruptions per person: pages in business, off and sleep hours (their own zone)',
      ['Business hours', 'Off hours', 'Sleep hours'],
      responders.filter((row) => row.pagesReceived > 0).map((row) => ({ label: row.name, values: [row.businessHoursPages, row.offHoursPages, row.sleepHoursPages] })),
    ),
  };
}

function stackedBarChart(caption: string, bandNames: string[], points: Array<{ label: string; values: number[] }>): StackedBarChart {
  const max = Math.max(1, ...points.map((point) => point.values.reduce((sum, value) => sum + value, 0)));
  const bands = bandNames.map((name, index) => ({ name, tone: TONES[index % TONES.length] }));
  return {
    caption,
    height: HEIGHT,
    bands,
    maxLabel: String(max),
    bars: points.map((point, index) => {
      let top = HEIGHT;
      const parts = point.values.map((value, band) => {
        const height = scaledHeight(value, max);
        top -= height;
        return { ...barSlot(index, points.length), y: round(top), height: round(height), tone: bands[band].tone, title: `${point.label}: ${value} pages in ${bands[band].name.toLowerCase()}` };
      });
      return { label: point.label, values: point.values, parts };
    }),
  };
}

function barChart(caption: string, unit: string, points: Array<{ label: string; value: number }>): BarChart {
  const max = Math.max(1, ...points.map((point) => point.value));
  return {
    caption,
    unit,
    height: HEIGHT,
    maxLabel: shown(max, 2),
    bars: points.map((point, index) => {
      const height = scaledHeight(point.value, max);
      return { ...barSlot(index, points.length), y: round(HEIGHT - height), height: round(height), label: point.label, value: shown(point.value, 2) };
    }),
  };
}

function lineChart(caption: string, labels: string[], series: Array<{ name: string; values: Array<number | null> }>): LineChart {
  const max = Math.max(1, ...series.flatMap((line) => line.values.filter((value): value is number => value !== null)));
  const step = labels.length > 1 ? WIDTH / (labels.length - 1) : 0;
  return {
    caption,
    height: HEIGHT,
    labels,
    maxLabel: shown(max),
    series: series.map((line, index) => ({
      name: line.name,
      tone: TONES[index % TONES.length],
      // A week without a value leaves a gap rather than a line to zero: the points are drawn only where there are values.
      points: line.values
        .map((value, at) => (value === null ? null : `${round(at * step)},${round(HEIGHT - scaledHeight(value, max))}`))
        .filter((point): point is string => point !== null)
        .join(' '),
      values: line.values.map((value) => shown(value)),
    })),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;
/** How tall `value` is drawn when `max` reaches the chart's top (20 px are kept for the top label). */
const scaledHeight = (value: number, max: number) => (value / max) * (HEIGHT - 20);
/** Where the bar of point `index` of `count` stands: a slot each, the bar 80 % of it, centred. */
function barSlot(index: number, count: number): { x: number; width: number } {
  const slot = WIDTH / Math.max(1, count);
  return { x: round(index * slot + slot * 0.1), width: round(slot * 0.8) };
}
