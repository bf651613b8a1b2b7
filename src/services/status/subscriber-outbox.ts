/**
 * What a claim sends: everything due for one subscriber goes as one message — an e-mail or Slack digest listing the
 * updates, or for a webhook one POST per incident, window or component, carrying its latest state. Pure.
 */
import { createHash } from 'node:crypto';
import { SubscriberChannel } from '../../shared/enums';
import type { EventSubject } from './status-events';
import { statuspageWebhookBody, type StoredComponentChange, type StoredPage, type WebhookSubject } from './statuspage-webhook';
import { subscriberMessage } from './subscriber-messages';

/** A claimed delivery; `attempts` identifies the claim (a holder whose lease was taken over can no longer record). */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  eventId: string;
  subscriberId: string;
  channel: SubscriberChannel;
  address: string;
  signingSecret: string | null;
  pageId: string;
  pageSlug: string;
  pageTitle: string;
}

/** What the fan-out stored in an event's payload when it expanded it. */
export interface ExpandedPayload {
  about: EventSubject;
  pages: Record<string, StoredPage>;
  incident?: Extract<WebhookSubject, { incident: unknown }>['incident'];
  maintenance?: Extract<WebhookSubject, { maintenance: unknown }>['maintenance'];
  componentChange?: StoredComponentChange;
}

export interface ExpandedEvent {
  id: string;
  subject: string;
  body: string;
  createdAt: Date;
  payload: ExpandedPayload;
}

export interface Held {
  id: string;
  attempts: number;
}

interface Common {
  subscriberId: string;
  to: string;
  /** Stable for one set of deliveries, so a retry of the same message carries the same key; another set, another key. */
  idempotencyKey: string;
  deliveries: Held[];
}

/** An e-mail or a Slack message. */
export type TextMessage = Common & { channel: SubscriberChannel.EMAIL | SubscriberChannel.SLACK; subject: string; body: string; unsubscribeUrl: string };
/** A Statuspage-format POST. */
export type WebhookMessage = Common & { channel: SubscriberChannel.WEBHOOK; secret: string | null; rawBody: string };
export type OutgoingMessage = TextMessage | WebhookMessage;

export interface SubscriberLinks {
  pageUrl(slug: string): string;
  /** The subscriber's own unsubscribe link. */
  unsubscribeUrl(subscriberId: string): string;
}

export function idempotencyKeyOf(deliveryIds: string[]): string {
  return `status:${createHash('sha256').update([...deliveryIds].sort().join(',')).digest('hex').slice(0, 40)}`;
}

export function composeMessages(claimed: ClaimedDelivery[], events: Map<string, ExpandedEvent>, links: SubscriberLinks, now: Date): OutgoingMessage[] {
  const bySubscriber = groupBy(claimed, (delivery) => delivery.subscriberId);
  const messages: OutgoingMessage[] = [];
  for (const [subscriberId, deliveries] of bySubscriber) {
    const first = deliveries[0];
    const unsubscribeUrl = links.unsubscribeUrl(subscriberId);
    const pageUrl = links.pageUrl(first.pageSlug);
    const eventOf = (delivery: ClaimedDelivery) => events.get(delivery.eventId)!;
    if (first.channel === SubscriberChannel.WEBHOOK) {
      for (const group of bySubject(deliveries, eventOf)) {
        const latest = group.map(eventOf).reduce((a, b) => (b.createdAt.getTime() > a.createdAt.getTime() || (b.createdAt.getTime() === a.createdAt.getTime() && b.id > a.id) ? b : a));
        const page = latest.payload.pages[first.pageId];
        if (!page) throw new Error(`event ${latest.id} was expanded without the page of subscriber ${subscriberId}`);
        const body = statuspageWebhookBody(webhookSubject(latest.payload), { page, pageUrl, unsubscribeUrl, generatedAt: now });
        messages.push({ channel: SubscriberChannel.WEBHOOK, subscriberId, to: first.address, secret: first.signingSecret, rawBody: JSON.stringify(body), ...held(group) });
      }
      continue;
    }
    const text = subscriberMessage({ title: first.pageTitle, url: pageUrl }, deliveries.map(eventOf).map((event) => ({ subject: event.subject, body: event.body, at: event.createdAt })), unsubscribeUrl);
    messages.push({ channel: first.channel, subscriberId, to: first.address, ...text, unsubscribeUrl, ...held(deliveries) });
  }
  return messages;
}

function held(deliveries: ClaimedDelivery[]): { idempotencyKey: string; deliveries: Held[] } {
  return { idempotencyKey: idempotencyKeyOf(deliveries.map((delivery) => delivery.id)), deliveries: deliveries.map(({ id, attempts }) => ({ id, attempts })) };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

function bySubject(deliveries: ClaimedDelivery[], eventOf: (delivery: ClaimedDelivery) => ExpandedEvent): ClaimedDelivery[][] {
  return [...groupBy(deliveries, (delivery) => `${eventOf(delivery).payload.about.type}:${eventOf(delivery).payload.about.id}`).values()];
}

function webhookSubject(payload: ExpandedPayload): WebhookSubject {
  if (payload.incident) return { incident: payload.incident };
  if (payload.maintenance) return { maintenance: payload.maintenance };
  if (payload.componentChange) return { componentChange: payload.componentChange };
  throw new Error(`a ${payload.about.type} event was expanded without its public view`);
}
