import { outboundUrlProblem, type Resolve } from '../../notify/url-guard';
import { badInput } from '../../shared/domain-error';
import { SubscriberChannel } from '../../shared/enums';

/** What someone asks for, as the public endpoint received it (each field named as in the request). */
export interface SubscribeRequest {
  channel: string;
  address: string;
  /** Public component ids of the page; empty: the whole page. */
  componentIds: string[];
  /** WEBHOOK only: the key its messages are signed with, chosen by the subscriber. */
  secret?: string | null;
}

export interface SubscriptionInput {
  channel: SubscriberChannel;
  address: string;
  componentIds: string[];
  secret: string | null;
}

export interface UrlPolicy {
  allowPrivate: boolean;
  resolve?: Resolve;
}

const MAX_EMAIL = 320;
const MAX_URL = 2000;
const MAX_COMPONENTS = 200;
const MAX_COMPONENT_ID = 100;
export const MIN_SECRET = 16;
const MAX_SECRET = 200;

// One address, no display name, no control characters (they would reach mail headers), a dotted domain.
const EMAIL = /^[^\s\p{Cc}@<>()[\]\\,;:"]+@(?:[^\s\p{Cc}@<>()[\]\\,;:".]+\.)+[^\s\p{Cc}@<>()[\]\\,;:".]{2,}$/u;

/** Checks a request field by field (BAD_USER_INPUT naming channel, address, components or secret). */
export async function subscriptionInput(request: SubscribeRequest, urls: UrlPolicy): Promise<SubscriptionInput> {
  const channel = channelOf(request.channel);
  const address = channel === SubscriberChannel.EMAIL ? emailAddress(request.address) : await postableUrl(request.address, urls);
  const secret = request.secret ? request.secret : null;
  if (channel === SubscriberChannel.WEBHOOK) {
    if (secret === null) throw badInput('secret', `a WEBHOOK subscription needs the secret its messages are signed with, ${MIN_SECRET} to ${MAX_SECRET} characters`);
    if (secret.length < MIN_SECRET || secret.length > MAX_SECRET) throw badInput('secret', `must be ${MIN_SECRET} to ${MAX_SECRET} characters`);
  } else if (secret !== null) {
    throw badInput('secret', 'only a WEBHOOK subscription takes a secret');
  }
  return { channel, address, componentIds: componentIds(request.componentIds), secret };
}

function channelOf(value: string): SubscriberChannel {
  const channel = value.trim().toUpperCase();
  if ((Object.values(SubscriberChannel) as string[]).includes(channel)) return channel as SubscriberChannel;
  throw badInput('channel', 'must be EMAIL, SLACK or WEBHOOK');
}

function emailAddress(value: string): string {
  const address = value.trim().toLowerCase();
  if (!address) throw badInput('address', 'must not be empty');
  if (address.length > MAX_EMAIL) throw badInput('address', `must be at most ${MAX_EMAIL} characters`);
  if (!EMAIL.test(address)) throw badInput('address', 'is not an e-mail address');
  return address;
}

async function postableUrl(value: string, urls: UrlPolicy): Promise<string> {
  const address = value.trim();
  if (!address) throw badInput('address', 'must not be empty');
  if (address.length > MAX_URL) throw badInput('address', `must be at most ${MAX_URL} characters`);
  const problem = await outboundUrlProblem(address, urls);
  if (problem) throw badInput('address', problem);
  return address;
}

function componentIds(values: string[]): string[] {
  const ids = [...new Set(values.map((value) => value.trim()).filter(Boolean))];
  if (ids.length > MAX_COMPONENTS) throw badInput('components', `must list at most ${MAX_COMPONENTS} components`);
  if (ids.some((id) => id.length > MAX_COMPONENT_ID)) throw badInput('components', `ids must be at most ${MAX_COMPONENT_ID} characters`);
  return ids;
}
