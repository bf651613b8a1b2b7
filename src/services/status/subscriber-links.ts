/** What a subscriber's link does: the routes of src/status/subscriber-routes.ts serve these paths. */
export type SubscriberAction = 'confirm' | 'unsubscribe';

/** The public URL of a status page (its subscribe form is on it). */
export function statusPageUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/status/${encodeURIComponent(slug)}`;
}

/** `${PUBLIC_BASE_URL}/status/<slug>/subscribers/<action>?token=…`: the link in e-mails and every message's footer. */
export function subscriberLink(publicBaseUrl: string, slug: string, action: SubscriberAction, token: string): string {
  return `${statusPageUrl(publicBaseUrl, slug)}/subscribers/${action}?token=${encodeURIComponent(token)}`;
}
