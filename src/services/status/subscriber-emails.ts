/** The e-mails a subscription request sends (plain text: the e-mail channel sends text only). */

export interface SubscriptionEmail {
  subject: string;
  body: string;
}

export interface SubscriptionEmailFacts {
  pageTitle: string;
  pageUrl: string;
  /** The component names subscribed to; empty: the whole page. */
  components: string[];
  unsubscribeUrl: string;
}

function scope(components: string[]): string {
  return components.length ? `these components: ${components.join(', ')}` : 'every component of the page';
}

/** Double opt-in: nothing is sent to the address until its owner follows the link. */
export function confirmationEmail(facts: SubscriptionEmailFacts, confirmUrl: string, expiresAt: Date): SubscriptionEmail {
  return {
    subject: `Confirm your subscription to ${facts.pageTitle}`,
    body: [
      `Someone, hopefully you, asked for e-mails from ${facts.pageTitle} (${facts.pageUrl}) about ${scope(facts.components)}.`,
      '',
      `To start receiving them, confirm here:`,
      confirmUrl,
      '',
      `The link expires at ${expiresAt.toISOString()} (UTC). If you did not ask for this, ignore this e-mail: nothing more is sent unless the link is followed.`,
      '',
      `Stop every e-mail from this page: ${facts.unsubscribeUrl}`,
    ].join('\n'),
  };
}

/**
 * The answer to a request for an address that is already subscribed: the requester is told nothing different (the
 * page answers the same), the address's owner learns of the request and how to leave. What it gets stays as is.
 */
export function alreadySubscribedEmail(facts: SubscriptionEmailFacts): SubscriptionEmail {
  return {
    subject: `You are already subscribed to ${facts.pageTitle}`,
    body: [
      `Someone asked again for e-mails from ${facts.pageTitle} (${facts.pageUrl}) to this address. It already receives them, about ${scope(facts.components)}; nothing changed.`,
      '',
      `To change what you receive, unsubscribe and subscribe again on the page.`,
      `Unsubscribe: ${facts.unsubscribeUrl}`,
    ].join('\n'),
  };
}
