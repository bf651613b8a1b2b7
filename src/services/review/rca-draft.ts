import type { RcaSectionContent } from '../../schema/rca.entity';
import { CauseKind, SectionVisibility } from '../../shared/enums';
import { markdownText } from '../../shared/markdown';
import type { ReviewSnapshot } from './review-snapshot';

/** The events that tell the story when nobody pinned any: the incident's own lifecycle. */
const LIFECYCLE_KINDS = new Set(['INCIDENT_DECLARED', 'ACKNOWLEDGED', 'MITIGATED', 'RESOLVED', 'PRIORITY_RAISED']);

const NOT_STATED = '_Not stated in the incident record._';

/**
 * The first draft of an RCA from the IRF, in the reference structure (Google's SRE template, reordered as the issue
 * asks). Free texts the authors wrote in the IRF are Markdown already and go in as written; everything that is data
 * (titles, names, categories, timeline messages) is escaped so it shows as typed.
 */
export function draftRca(review: ReviewSnapshot): { title: string; sections: RcaSectionContent[] } {
  const { incident } = review;
  return {
    title: `Root cause analysis: #${incident.number} ${incident.title}`.slice(0, 500),
    sections: [
      section('summary', 'Summary', SectionVisibility.PUBLIC, summary(review)),
      section('timeline', 'Timeline', SectionVisibility.PUBLIC, timeline(review)),
      section('detection', 'Detection', SectionVisibility.INTERNAL, detection(review)),
      section('root-cause', 'Root cause and contributing factors', SectionVisibility.PUBLIC, causes(review)),
      section('impact', 'Impact', SectionVisibility.PUBLIC, impact(review)),
      section('mitigation', 'Mitigation and resolution', SectionVisibility.PUBLIC, mitigation(review)),
      section('preventive-actions', 'Preventive actions', SectionVisibility.INTERNAL, preventive(review)),
      section('lessons', 'Lessons learned', SectionVisibility.INTERNAL, review.lessons?.trim() || NOT_STATED),
    ],
  };
}

function section(key: string, title: string, visibility: SectionVisibility, body: string): RcaSectionContent {
  return { key, title, visibility, body };
}

function summary(review: ReviewSnapshot): string {
  const { incident, timings } = review;
  const facts = `Incident #${incident.number} on ${markdownText(incident.serviceName)}, detected ${utc(timings.detectedAt)}` + (incident.resolvedAt ? `, resolved ${utc(incident.resolvedAt)}.` : '.');
  return [review.summary?.trim() || markdownText(incident.title), facts].join('\n\n');
}

function timeline(review: ReviewSnapshot): string {
  const pinned = review.timeline.filter((item) => item.pinned);
  const items = pinned.length ? pinned : review.timeline.filter((item) => item.added || LIFECYCLE_KINDS.has(item.kind));
  if (!items.length) return NOT_STATED;
  return items.map((item) => `- **${utc(item.at)}**: ${markdownText(item.message)}`).join('\n');
}

function detection(review: ReviewSnapshot): string {
  const { detection: facts, timings } = review;
  const lines = [
    `- Source: ${facts.source ? facts.source.toLowerCase() : 'not stated'}`,
    `- Impact started: ${facts.impactStartedAt ? utc(facts.impactStartedAt) : 'not stated'}`,
    `- First alert: ${facts.firstAlertAt ? utc(facts.firstAlertAt) : 'none'}`,
    `- Detected: ${utc(timings.detectedAt)}`,
    `- Time to detect: ${duration(timings.timeToDetectSeconds)}`,
    `- Time to acknowledge: ${duration(timings.timeToAcknowledgeSeconds)}`,
    `- Time to mitigate: ${duration(timings.timeToMitigateSeconds)}`,
    `- Time to resolve: ${duration(timings.timeToResolveSeconds)}`,
  ];
  return [lines.join('\n'), facts.notes?.trim()].filter(Boolean).join('\n\n');
}

function causes(review: ReviewSnapshot): string {
  const list = (kind: CauseKind) => review.causes.filter((cause) => cause.kind === kind).map((cause) => `- ${markdownText(cause.description)} (${markdownText(cause.category)})`);
  const root = list(CauseKind.ROOT);
  const contributing = list(CauseKind.CONTRIBUTING);
  return [
    '### Root cause',
    root.length ? root.join('\n') : NOT_STATED,
    ...(contributing.length ? ['### Contributing factors', contributing.join('\n')] : []),
  ].join('\n\n');
}

function impact(review: ReviewSnapshot): string {
  const { impact: facts, timings } = review;
  const listed = (label: string, values: string[]) => (values.length ? [`- ${label}: ${values.map(markdownText).join(', ')}`] : []);
  const lines = [
    `- Duration: ${duration(timings.impactDurationSeconds)}`,
    ...(facts.customers?.trim() ? [`- Customers: ${markdownText(facts.customers.trim())}`] : []),
    ...listed('Products and interfaces', facts.products),
    ...listed('Channels', facts.channels),
    ...listed('Locations', facts.locations),
  ];
  return [facts.description?.trim(), lines.join('\n')].filter(Boolean).join('\n\n');
}

function mitigation(review: ReviewSnapshot): string {
  const { mitigation: facts, incident } = review;
  const steps = facts.steps.map((step) => `- ${markdownText(step.description)}: ${step.outcome.toLowerCase().replace('_', ' ')}${step.temporary ? ' (temporary)' : ''}`);
  return [
    facts.notes?.trim() || NOT_STATED,
    ...(steps.length ? ['### Steps taken', steps.join('\n')] : []),
    ...(facts.fasterMitigation?.trim() ? ['### What would have mitigated it faster', facts.fasterMitigation.trim()] : []),
    incident.resolvedAt ? `Resolved ${utc(incident.resolvedAt)}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function preventive(review: ReviewSnapshot): string {
  const { preventive: facts } = review;
  const rows = facts.tasks.map((task) => {
    const ticket = task.externalUrl && /^https?:\/\//i.test(task.externalUrl) ? `[ticket](${encodeLinkTarget(task.externalUrl)})` : '';
    return `| ${markdownText(task.title)} | ${task.ownerName ? markdownText(task.ownerName) : 'unassigned'} | ${task.dueAt ? utc(task.dueAt) : 'no date'} | ${task.status} | ${task.priority} | ${ticket} |`;
  });
  const table = rows.length ? ['| Task | Owner | Due | Status | Priority | Ticket |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n') : '';
  return [facts.notes?.trim(), table].filter(Boolean).join('\n\n') || NOT_STATED;
}

/** A URL as a Markdown link target: whatever would end or break the target is percent-encoded. */
function encodeLinkTarget(url: string): string {
  return url.replace(/[\s()<>\\|[\]]/g, (character) => encodeURIComponent(character));
}

function utc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function duration(seconds: number | null): string {
  if (seconds === null) return 'not known';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days) return `${days} d ${hours % 24} h ${minutes % 60} min`;
  return hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
