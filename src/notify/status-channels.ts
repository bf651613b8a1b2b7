import { DeliveryError, type Channel, type DeliveryResult } from './channel';
import { EmailChannel, type EmailOptions } from './email.channel';
import { outboundFetch } from './guarded-fetch';
import { SlackChannel } from './slack.channel';
import { outboundUrlProblem, type Resolve } from './url-guard';
import { postSignedJson, type SignedPost } from './webhook.channel';

export interface StatusChannelsConfig {
  /** Pooled SMTP (`pooledConnections`); absent: e-mail subscribers' messages fail with a clear reason. */
  email?: EmailOptions;
  /** One Slack or webhook POST. */
  timeoutMs: number;
  /** Let Slack and webhook messages go to loopback, private and link-local addresses (STATUS_SUBSCRIBER_ALLOW_PRIVATE_URLS). */
  allowPrivateUrls: boolean;
  /** How host names are resolved for the check (the system's resolver unless given). */
  resolve?: Resolve;
}

/**
 * What status subscribers are told through: transports of their own, so a fan-out to thousands neither waits behind
 * nor delays the pages of people on call. Webhooks go to each subscriber's URL signed with its own secret. A Slack or
 * webhook URL is checked again before each message (the URL guard, as at subscription): its name may resolve to this
 * server's own network by now; such a message fails for good, naming the host, never the URL (it is the credential).
 */
export interface StatusChannels {
  EMAIL?: Channel;
  SLACK: Channel;
  webhook(to: string, post: Omit<SignedPost, 'timeoutMs'>): Promise<DeliveryResult>;
  close(): void;
}

export function createStatusChannels(config: StatusChannelsConfig): StatusChannels {
  const email = config.email ? new EmailChannel(config.email) : undefined;
  // The URL is checked before each message and the connection goes only to the addresses so checked (DNS rebinding).
  const send = outboundFetch(config.allowPrivateUrls, config.resolve);
  const slack = new SlackChannel({ timeoutMs: config.timeoutMs, fetch: send });
  const guard = async (to: string) => {
    const problem = await outboundUrlProblem(to, { allowPrivate: config.allowPrivateUrls, resolve: config.resolve });
    if (problem) throw new DeliveryError(`refused to post: the URL ${problem}`, false);
  };
  return {
    EMAIL: email,
    SLACK: {
      kind: 'SLACK',
      async send(message) {
        await guard(message.to);
        return slack.send(message);
      },
    },
    async webhook(to, post) {
      await guard(to);
      return postSignedJson(to, { ...post, timeoutMs: config.timeoutMs, fetch: send });
    },
    close: () => email?.close(),
  };
}
