import { SubscriberChannel } from '../../../src/shared/enums';
import { composeMessages, idempotencyKeyOf, type ClaimedDelivery, type ExpandedEvent, type TextMessage, type WebhookMessage } from '../../../src/services/status/subscriber-outbox';

const links = { pageUrl: (slug: string) => `https://status.example.com/status/${slug}`, unsubscribeUrl: (id: string) => `https://status.example.com/status/main/subscribers/unsubscribe?token=${id}` };
const page = { id: 'p4ge1d000000', status_indicator: 'minor' as const, status_description: 'Minor Service Outage' };

function incidentEvent(id: string, incidentId: string, minute: number, title: string): ExpandedEvent {
  const at = new Date(`2026-06-01T10:${String(minute).padStart(2, '0')}:00Z`);
  return {
    id,
    subject: `${title} — Investigating`,
    body: `Update at minute ${minute}.`,
    createdAt: at,
    payload: {
      about: { type: 'incident', id: incidentId },
      pages: { 'page-1': page },
      incident: {
        id: `pub-${incidentId}`,
        title,
        status: 'investigating',
        impact: 'minor',
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        monitoringAt: null,
        resolvedAt: null,
        components: [],
        updates: [{ id: `u-${id}`, body: `Update at minute ${minute}.`, status: 'investigating', postedAt: at.toISOString() }],
        provider: null,
        rcaPath: null,
      },
    },
  };
}

const events = new Map(
  [incidentEvent('e1', 'i1', 1, 'Checkout errors'), incidentEvent('e2', 'i1', 2, 'Checkout errors'), incidentEvent('e3', 'i2', 3, 'Login slow')].map((event) => [event.id, event]),
);

function claimed(channel: SubscriberChannel, eventIds: string[]): ClaimedDelivery[] {
  return eventIds.map((eventId, index) => ({
    id: `d-${channel}-${index}`,
    attempts: 1,
    eventId,
    subscriberId: `s-${channel}`,
    channel,
    address: channel === SubscriberChannel.EMAIL ? 'ana@example.com' : 'https://hooks.example.com/in',
    signingSecret: 'whsec_0123456789abcdef',
    pageId: 'page-1',
    pageSlug: 'main',
    pageTitle: 'Service status',
  }));
}

const now = new Date('2026-06-01T10:05:00Z');

describe('Subscriber messages', () => {
  it('sends one update as it is, with the page and the unsubscribe link', () => {
    const [mail] = composeMessages(claimed(SubscriberChannel.EMAIL, ['e1']), events, links, now) as TextMessage[];
    expect(mail.subject).toBe('Checkout errors — Investigating');
    expect(mail.body).toBe('Update at minute 1.\n\n—\nService status: https://status.example.com/status/main\nUnsubscribe: https://status.example.com/status/main/subscribers/unsubscribe?token=s-EMAIL');
    expect(mail.unsubscribeUrl).toBe('https://status.example.com/status/main/subscribers/unsubscribe?token=s-EMAIL');
  });

  it('sends everything due for an e-mail subscriber as one digest, oldest first', () => {
    const messages = composeMessages(claimed(SubscriberChannel.EMAIL, ['e3', 'e1', 'e2']), events, links, now) as TextMessage[];
    expect(messages).toHaveLength(1);
    expect(messages[0].subject).toBe('Service status: 3 updates');
    expect(messages[0].body.indexOf('minute 1')).toBeLessThan(messages[0].body.indexOf('minute 2'));
    expect(messages[0].body.indexOf('minute 2')).toBeLessThan(messages[0].body.indexOf('minute 3'));
    expect(messages[0].body).toContain('2026-06-01 10:03 UTC — Login slow — Investigating');
    expect(messages[0].deliveries.map((delivery) => delivery.id).sort()).toEqual(['d-EMAIL-0', 'd-EMAIL-1', 'd-EMAIL-2']);
  });

  it('sends a webhook subscriber one POST per incident, carrying its latest state', () => {
    const messages = composeMessages(claimed(SubscriberChannel.WEBHOOK, ['e1', 'e2', 'e3']), events, links, now) as WebhookMessage[];
    expect(messages).toHaveLength(2);
    const bodies = messages.map((message) => JSON.parse(message.rawBody));
    expect(bodies.map((body) => body.incident.id).sort()).toEqual(['pub-i1', 'pub-i2']);
    const checkout = bodies.find((body) => body.incident.id === 'pub-i1');
    expect(checkout.incident.incident_updates[0].body).toBe('Update at minute 2.');
    expect(checkout.page).toEqual(page);
    expect(messages.find((message) => JSON.parse(message.rawBody).incident.id === 'pub-i1')!.deliveries.map((delivery) => delivery.id).sort()).toEqual(['d-WEBHOOK-0', 'd-WEBHOOK-1']);
  });

  it('keys a message by the deliveries it carries, in any order, and another set differently', () => {
    expect(idempotencyKeyOf(['b', 'a'])).toBe(idempotencyKeyOf(['a', 'b']));
    expect(idempotencyKeyOf(['a', 'b', 'c'])).not.toBe(idempotencyKeyOf(['a', 'b']));
    expect(idempotencyKeyOf(['a'])).toMatch(/^status:[0-9a-f]{40}$/);
  });
});
