import { SubscriberChannel } from '../../shared/enums';

/**
 * How a public answer names a subscription: enough for its owner to recognise it, too little to learn the address
 * from (an unsubscribe link may be forwarded; a Slack or webhook URL is its owner's credential, so only its host).
 */
export function maskedAddress(channel: SubscriberChannel, address: string): string {
  if (channel === SubscriberChannel.EMAIL) return `${address.slice(0, 1)}•••${address.slice(address.lastIndexOf('@'))}`;
  const what = channel === SubscriberChannel.SLACK ? 'the Slack webhook' : 'the webhook';
  try {
    return `${what} at ${new URL(address).host}`;
  } catch {
    return what;
  }
}
