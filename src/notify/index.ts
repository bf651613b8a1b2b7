import type { ChannelKind } from '../shared/enums';
import type { Channel } from './channel';
import { EmailChannel, EmailOptions } from './email.channel';
import { SlackChannel, SlackOptions } from './slack.channel';
import { SmsChannel, SmsOptions } from './sms.channel';
import { WebhookChannel, WebhookOptions } from './webhook.channel';

export * from './channel';
export { SmsChannel, validateSmsOptions, composeSmsBody, SMS_MAX_BODY_CHARS } from './sms.channel';
export type { SmsOptions } from './sms.channel';
export { EmailChannel, messageIdFor } from './email.channel';
export type { EmailOptions } from './email.channel';
export { SlackChannel, buildSlackPayload, escapeSlackText } from './slack.channel';
export type { SlackOptions } from './slack.channel';
export {
  WebhookChannel,
  postSignedJson,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_IDEMPOTENCY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhook.channel';
export type { HeaderSource, SignedPost, WebhookOptions, WebhookPayload, WebhookVerification } from './webhook.channel';

export { createStatusChannels } from './status-channels';
export type { StatusChannels, StatusChannelsConfig } from './status-channels';

export interface ChannelsConfig {
  sms?: SmsOptions;
  email?: EmailOptions;
  slack?: SlackOptions;
  webhook?: WebhookOptions;
}

export type Channels = Partial<Record<ChannelKind, Channel>>;

/**
 * Builds the channels whose configuration is present; an absent section means that channel is
 * simply unavailable. Invalid configuration throws here, at startup, with a message naming the problem.
 */
export function createChannels(config: ChannelsConfig): Channels {
  const channels: Channels = {};
  if (config.sms) channels.SMS = new SmsChannel(config.sms);
  if (config.email) channels.EMAIL = new EmailChannel(config.email);
  if (config.slack) channels.SLACK = new SlackChannel(config.slack);
  if (config.webhook) channels.WEBHOOK = new WebhookChannel(config.webhook);
  return channels;
}

/** Releases resources held by channels that keep any (the SMTP transport). */
export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all(Object.values(channels).map((channel) => channel?.close?.()));
}
