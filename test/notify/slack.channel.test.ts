import { OutboundMessage, SlackChannel } from '../../src/notify';
import { HttpReceiver, startHttpReceiver } from '../support/receivers/http-receiver';
import { deliveryFailure, refusedPort } from './helpers';

describe('Slack channel (incoming webhook)', () => {
  let slack: HttpReceiver;
  const channel = new SlackChannel({ timeoutMs: 2000 });
  const hookPath = '/services/T000/B000/XXXXXXXX';
  const page = (): OutboundMessage => ({
    idempotencyKey: 'page:incident-42:slack:attempt-1',
    to: `${slack.url}${hookPath}`,
    subject: '[SEV1] #42 Checkout API down',
    body: 'Error rate > 50% on <checkout> & payments',
    data: { incidentId: 'inc_42', number: 42, status: 'TRIGGERED', nested: { ignored: true } },
  });

  beforeEach(async () => {
    slack = await startHttpReceiver();
  });
  afterEach(async () => {
    await slack.close();
  });

  describe('delivery', () => {
    it('POSTs JSON { text, blocks } to the webhook URL and accepts Slack’s 200 "ok"', async () => {
      const result = await channel.send(page());
      expect(result).toEqual({ providerMessageId: null });

      const [request] = await slack.waitForRequests(1);
      expect(request.method).toBe('POST');
      expect(request.path).toBe(hookPath);
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(request.rawBody)).toEqual({
        text: '*[SEV1] #42 Checkout API down*\nError rate &gt; 50% on &lt;checkout&gt; &amp; payments',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '[SEV1] #42 Checkout API down', emoji: true } },
          { type: 'section', text: { type: 'mrkdwn', text: 'Error rate &gt; 50% on &lt;checkout&gt; &amp; payments' } },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', text: '*incidentId*\ninc_42' },
              { type: 'mrkdwn', text: '*number*\n42' },
              { type: 'mrkdwn', text: '*status*\nTRIGGERED' },
            ],
          },
        ],
      });
    });

    it('refuses a "to" that is not an http(s) URL, without sending', async () => {
      const error = await deliveryFailure(channel.send({ ...page(), to: '#incidents' }));
      expect(error.retryable).toBe(false);
      expect(slack.requests).toHaveLength(0);
    });
  });

  describe('failure classification', () => {
    it.each([
      [404, 'no_service'],
      [400, 'invalid_payload'],
      [403, 'action_prohibited'],
      [410, 'channel_is_archived'],
    ])('%i %s is not retryable and quotes Slack’s reason', async (status, reason) => {
      slack.respondWith({ status, body: reason });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(status);
      expect(error.message).toContain(reason);
    });

    it('429 rate_limited is retryable and reports Retry-After', async () => {
      slack.respondWith({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '30' } });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(30_000);
    });

    it('5xx is retryable', async () => {
      slack.respondWith({ status: 503, body: 'service unavailable' });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(503);
    });

    it('connection refused is retryable', async () => {
      const port = await refusedPort();
      const error = await deliveryFailure(channel.send({ ...page(), to: `http://127.0.0.1:${port}${hookPath}` }));
      expect(error.retryable).toBe(true);
    });

    it('no answer within timeoutMs is retryable', async () => {
      slack.respondWith({ status: 200, body: 'ok', delayMs: 1000 });
      const error = await deliveryFailure(new SlackChannel({ timeoutMs: 100 }).send(page()));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('no response within 100 ms');
    });
  });
});
