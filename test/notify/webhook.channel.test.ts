import { createHmac } from 'node:crypto';
import {
  OutboundMessage,
  WebhookChannel,
  WebhookPayload,
  signWebhook,
  verifyWebhookSignature,
} from '../../src/notify';
import { ManualClock } from '../../src/shared/clock';
import { HttpReceiver, startHttpReceiver } from '../support/receivers/http-receiver';
import { deliveryFailure, refusedPort } from './helpers';

const SECRET = 'whsec_test_0123456789abcdef';

describe('Webhook channel (signed JSON POST)', () => {
  let receiver: HttpReceiver;
  const channel = new WebhookChannel({ secret: SECRET, timeoutMs: 2000 });
  const page = (): OutboundMessage => ({
    idempotencyKey: 'page:incident-42:hook-3:attempt-1',
    to: `${receiver.url}/hooks/incident-bridge?team=payments`,
    subject: '[SEV1] #42 Checkout API down',
    body: 'Triggered 12:03 UTC.',
    data: { incidentId: 'inc_42', number: 42, status: 'TRIGGERED' },
  });

  beforeEach(async () => {
    receiver = await startHttpReceiver({ defaultResponse: { status: 204 } });
  });
  afterEach(async () => {
    await receiver.close();
  });

  describe('delivery', () => {
    it('POSTs { idempotencyKey, subject, body, data, sentAt } as JSON', async () => {
      const result = await channel.send(page());
      expect(result).toEqual({ providerMessageId: null });

      const [request] = await receiver.waitForRequests(1);
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks/incident-bridge?team=payments');
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
      const payload = JSON.parse(request.rawBody) as WebhookPayload;
      expect(payload).toEqual({
        idempotencyKey: 'page:incident-42:hook-3:attempt-1',
        subject: '[SEV1] #42 Checkout API down',
        body: 'Triggered 12:03 UTC.',
        data: { incidentId: 'inc_42', number: 42, status: 'TRIGGERED' },
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });

    it('signs it: the receiver verifies the signature with verifyWebhookSignature', async () => {
      await channel.send(page());
      const [request] = await receiver.waitForRequests(1);
      expect(request.headers['x-incidentbridge-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(SECRET, request.headers, request.rawBody)).toEqual({
        ok: true,
        timestamp: Number(request.headers['x-incidentbridge-timestamp']),
      });
      expect(verifyWebhookSignature('another-secret-entirely', request.headers, request.rawBody)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
    });

    it('sends timestamp (unix seconds, matching sentAt) and idempotency key headers', async () => {
      const clock = new ManualClock('2026-03-01T12:03:04.567Z');
      await new WebhookChannel({ secret: SECRET, timeoutMs: 2000, now: () => clock.now() }).send(page());
      const [request] = await receiver.waitForRequests(1);
      expect(request.headers['x-incidentbridge-timestamp']).toBe(String(Date.parse('2026-03-01T12:03:04Z') / 1000));
      expect(request.headers['x-incidentbridge-idempotency-key']).toBe('page:incident-42:hook-3:attempt-1');
      expect((JSON.parse(request.rawBody) as WebhookPayload).sentAt).toBe('2026-03-01T12:03:04.567Z');
      expect(request.headers['x-incidentbridge-signature']).toBe(
        `v1=${createHmac('sha256', SECRET).update(`1772366584.${request.rawBody}`).digest('hex')}`,
      );
    });

    it('treats any 2xx as delivered', async () => {
      receiver.respondWith({ status: 202, body: '{"queued":true}' });
      await expect(channel.send(page())).resolves.toEqual({ providerMessageId: null });
    });
  });

  describe('failure classification', () => {
    it.each([400, 401, 404, 410, 422])('%i is not retryable', async (status) => {
      receiver.respondWith({ status, body: 'nope' });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(status);
    });

    it.each([408, 429, 500, 502, 503])('%i is retryable', async (status) => {
      receiver.respondWith({ status });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(status);
    });

    it('a redirect is not followed (the POST would become a GET elsewhere) and is not retryable', async () => {
      receiver.respondWith({ status: 302, headers: { Location: `${receiver.url}/elsewhere` } });
      const error = await deliveryFailure(channel.send(page()));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(302);
      expect(receiver.requests).toHaveLength(1);
    });

    it('connection refused is retryable', async () => {
      const port = await refusedPort();
      const error = await deliveryFailure(channel.send({ ...page(), to: `http://127.0.0.1:${port}/hook` }));
      expect(error.retryable).toBe(true);
    });

    it('no answer within timeoutMs is retryable', async () => {
      receiver.respondWith({ status: 200, delayMs: 1000 });
      const error = await deliveryFailure(new WebhookChannel({ secret: SECRET, timeoutMs: 100 }).send(page()));
      expect(error.retryable).toBe(true);
    });
  });

  it('rejects a secret shorter than 16 characters at construction', () => {
    expect(() => new WebhookChannel({ secret: 'short', timeoutMs: 1000 })).toThrow(/secret must be at least 16 characters/);
  });
});

describe('Webhook signature verification', () => {
  const rawBody = '{"idempotencyKey":"k","subject":"s","body":"b","data":{},"sentAt":"2026-03-01T12:00:00.000Z"}';
  const timestamp = 1772366400; // 2026-03-01T12:00:00Z
  const now = new Date(timestamp * 1000);
  const headersFor = (body: string, ts = timestamp) => ({
    'x-incidentbridge-timestamp': String(ts),
    'x-incidentbridge-signature': signWebhook(SECRET, ts, body),
  });

  it('signWebhook is v1= hex HMAC-SHA256(secret, "<timestamp>.<raw body>")', () => {
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest('hex');
    expect(signWebhook(SECRET, timestamp, rawBody)).toBe(`v1=${expected}`);
    expect(signWebhook(SECRET, timestamp, Buffer.from(rawBody))).toBe(`v1=${expected}`);
  });

  it('accepts an untouched body within the tolerance', () => {
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody), rawBody, { now })).toEqual({ ok: true, timestamp });
  });

  it('rejects a tampered body', () => {
    const tampered = rawBody.replace('"b"', '"B"');
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody), tampered, { now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a changed timestamp (the signature covers it)', () => {
    const headers = { ...headersFor(rawBody), 'x-incidentbridge-timestamp': String(timestamp + 1) };
    expect(verifyWebhookSignature(SECRET, headers, rawBody, { now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a stale timestamp (older than toleranceSeconds, default 300) even with a valid signature', () => {
    const old = timestamp - 301;
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody, old), rawBody, { now })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody, timestamp - 300), rawBody, { now }).ok).toBe(true);
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody, old), rawBody, { now, toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('rejects a timestamp too far in the future', () => {
    expect(verifyWebhookSignature(SECRET, headersFor(rawBody, timestamp + 301), rawBody, { now })).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('rejects missing or malformed headers', () => {
    expect(verifyWebhookSignature(SECRET, {}, rawBody, { now })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(
      verifyWebhookSignature(SECRET, { ...headersFor(rawBody), 'x-incidentbridge-signature': 'sha256=abc' }, rawBody, { now }),
    ).toEqual({ ok: false, reason: 'malformed' });
    expect(
      verifyWebhookSignature(SECRET, { ...headersFor(rawBody), 'x-incidentbridge-timestamp': 'yesterday' }, rawBody, { now }),
    ).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts fetch Headers and mixed-case names, and any one of several signatures (secret rotation)', () => {
    const rotated = `${signWebhook('old-secret-0123456789', timestamp, rawBody)}, ${signWebhook(SECRET, timestamp, rawBody)}`;
    const headers = new Headers({ 'X-IncidentBridge-Timestamp': String(timestamp), 'X-IncidentBridge-Signature': rotated });
    expect(verifyWebhookSignature(SECRET, headers, rawBody, { now })).toEqual({ ok: true, timestamp });
    expect(
      verifyWebhookSignature(SECRET, { 'X-IncidentBridge-Timestamp': String(timestamp), 'X-INCIDENTBRIDGE-SIGNATURE': rotated }, rawBody, { now }).ok,
    ).toBe(true);
  });
});
