import type { Channel, DeliveryResult } from './channel';
import { EmailChannel, type EmailOptions } from './email.channel';
import { SlackChannel } from './slack.channel';
import { postSignedJson, type SignedPost } from './webhook.channel';

export interface StatusChannelsConfig {
  /** Pooled SMTP (`pooledConnections`); absent: e-mail subscribers' messages fail with a clear reason. */
  email?: EmailOptions;
  /** One Slack or webhook POST. */
  timeoutMs: number;
}

/**
 * What status subscribers are told through: transports of their own, so a fan-out to thousands neither waits behind
 * nor delays the pages of people on call. Webhooks go to each subscriber's URL signed with its own secret.
 */
export interface StatusChannels {
  EMAIL?: Channel;
  SLACK: Channel;
  webhook(to: string, post: Omit<SignedPost, 'timeoutMs'>): Promise<DeliveryResult>;
  close(): void;
}

export function createStatusChannels(config: StatusChannelsConfig): StatusChannels {
  const email = config.email ? new EmailChannel(config.email) : undefined;
  return {
    EMAIL: email,
    SLACK: new SlackChannel({ timeoutMs: config.timeoutMs }),
    webhook: (to, post) => postSignedJson(to, { ...post, timeoutMs: config.timeoutMs }),
    close: () => email?.close(),
  };
}
