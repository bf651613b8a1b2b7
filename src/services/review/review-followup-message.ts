import { ReviewDocument, type Priority } from '../../schema/enums';

export interface FollowupFacts {
  number: number;
  priority: Priority;
  title: string;
  document: ReviewDocument;
  /** The due day (YYYY-MM-DD) in the calendar's zone; due by its end. */
  dueDay: string;
  zone: string;
  /** Business days after today up to the due day; 0 on the due day. */
  businessDaysLeft: number;
  /** Calendar days since the due day; 0 while not overdue. */
  daysOverdue: number;
}

const OWED: Record<ReviewDocument, string> = {
  RCA: 'the RCA',
  IRF: 'the approved IRF',
};

const HOW: Record<ReviewDocument, string> = {
  RCA: 'publish the RCA (publishRca)',
  IRF: 'approve the IRF (approveReview)',
};

/** How the follow-up stands, as one phrase: "due 2026-12-08, 3 business days left" / "overdue by 2 days (due 2026-12-08)". */
export function followupStanding(facts: FollowupFacts): string {
  if (facts.daysOverdue > 0) return `overdue by ${plural(facts.daysOverdue, 'day')} (due ${facts.dueDay})`;
  if (facts.businessDaysLeft === 0) return `due today, ${facts.dueDay}`;
  return `due ${facts.dueDay}, ${plural(facts.businessDaysLeft, 'business day')} left`;
}

/** The message to someone responsible for the incident (its owner, else the on-call), or to whom it is escalated. */
export function followupMessage(facts: FollowupFacts, escalatedToYou: boolean): { subject: string; body: string } {
  const owed = OWED[facts.document];
  const standing = followupStanding(facts);
  const escalation = escalatedToYou ? ' It is escalated to you as it is overdue.' : '';
  return {
    subject: `[${facts.priority}] #${facts.number} ${owed.replace(/^the /, '')} ${standing}`,
    body:
      `Incident #${facts.number} (${facts.priority}) "${facts.title}": ${owed} is due by the end of ${facts.dueDay} (${facts.zone}): ${standing}.${escalation} ` +
      `To meet it, ${HOW[facts.document]}; until then a reminder goes every day.`,
  };
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
