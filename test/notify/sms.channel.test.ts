import { SmsChannel, SmsOptions, OutboundMessage } from '../../src/notify';
import { startTwilioStandIn, TwilioStandIn } from '../../scripts/support/twilio-standin';
import { deliveryFailure, refusedPort } from './helpers';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'test-auth-token-0123456789';
const FROM = '+15005550006';
const MESSAGING_SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';

const page: OutboundMessage = {
  idempotencyKey: 'page:incident-42:user-7:attempt-1',
  to: '+14155550123',
  subject: '[SEV1] #42 Checkout API down',
  body: 'Triggered 12:03 UTC. Ack: reply 1',
};

describe('SMS channel (Twilio)', () => {
  let twilio: TwilioStandIn;
  const options = (overrides: Partial<SmsOptions> = {}): SmsOptions => ({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    fromNumber: FROM,
    baseUrl: twilio.baseUrl,
    timeoutMs: 2000,
    ...overrides,
  });

  beforeEach(async () => {
    twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(async () => {
    await twilio.close();
  });

  describe('delivery', () => {
    it('sends To, From and Body form-encoded with Basic auth to the Messages resource', async () => {
      const result = await new SmsChannel(options()).send(page);

      const [request] = twilio.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      );
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(request.status).toBe(201);

      const [sms] = await twilio.waitForMessages(1);
      expect(sms.params).toEqual({
        To: '+14155550123',
        From: FROM,
        Body: '[SEV1] #42 Checkout API down\nTriggered 12:03 UTC. Ack: reply 1',
      });
      expect(result.providerMessageId).toBe(sms.sid);
      expect(sms.sid).toMatch(/^SM[0-9a-f]{32}$/);
    });

    it('sends the idempotency key as I-Twilio-Idempotency-Token', async () => {
      await new SmsChannel(options()).send(page);
      const [sms] = await twilio.waitForMessages(1);
      expect(sms.idempotencyToken).toBe(page.idempotencyKey);
    });

    it('sends MessagingServiceSid instead of From when a messaging service is configured', async () => {
      await new SmsChannel(options({ fromNumber: undefined, messagingServiceSid: MESSAGING_SERVICE_SID })).send(page);
      const [sms] = await twilio.waitForMessages(1);
      expect(sms.messagingServiceSid).toBe(MESSAGING_SERVICE_SID);
      expect(sms.params).not.toHaveProperty('From');
    });

    it('keeps Body within Twilio’s 1,600-character limit', async () => {
      await new SmsChannel(options()).send({ ...page, body: 'x'.repeat(5000) });
      const [sms] = await twilio.waitForMessages(1);
      expect(Array.from(sms.body)).toHaveLength(1600);
      expect(sms.body.startsWith(`${page.subject}\n`)).toBe(true);
      expect(sms.body.endsWith('…')).toBe(true);
    });

    it('refuses a recipient that is not E.164 without calling Twilio', async () => {
      const error = await deliveryFailure(new SmsChannel(options()).send({ ...page, to: '415-555-0123' }));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/E\.164/);
      expect(twilio.requests).toHaveLength(0);
    });
  });

  describe('failure classification', () => {
    it('wrong credentials: Twilio 401 (20003 Authenticate) is not retryable and names Twilio’s code', async () => {
      const error = await deliveryFailure(new SmsChannel(options({ authToken: 'wrong-token' })).send(page));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(401);
      expect(error.message).toContain('Twilio error 20003: Authenticate');
      expect(error.message).toContain('https://www.twilio.com/docs/errors/20003');
      expect(twilio.messages).toHaveLength(0);
    });

    it('a 400 rejection from Twilio is not retryable and carries Twilio’s code and message', async () => {
      twilio.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
      const error = await deliveryFailure(new SmsChannel(options()).send(page));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(400);
      expect(error.message).toContain('21610');
      expect(error.message).toContain('Attempt to send to unsubscribed recipient');
    });

    it('500 from Twilio is retryable, and the retry with the same key goes through', async () => {
      twilio.failNext({ status: 500 });
      const channel = new SmsChannel(options());
      const error = await deliveryFailure(channel.send(page));
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(500);
      expect(error.message).toContain('20500');

      await channel.send(page);
      const [sms] = await twilio.waitForMessages(1);
      expect(sms.idempotencyToken).toBe(page.idempotencyKey);
    });

    it('429 Too Many Requests is retryable and reports Retry-After', async () => {
      twilio.failNext({ status: 429, headers: { 'Retry-After': '7' } });
      const error = await deliveryFailure(new SmsChannel(options()).send(page));
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(429);
      expect(error.message).toContain('20429');
      expect(error.retryAfterMs).toBe(7000);
    });

    it('connection refused is retryable', async () => {
      const port = await refusedPort();
      const error = await deliveryFailure(new SmsChannel(options({ baseUrl: `http://127.0.0.1:${port}` })).send(page));
      expect(error.retryable).toBe(true);
      expect(error.status).toBeUndefined();
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('no answer within timeoutMs is retryable (Twilio may still have accepted it: hence the idempotency token)', async () => {
      twilio.delayNext(1000);
      const error = await deliveryFailure(new SmsChannel(options({ timeoutMs: 150 })).send(page));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('no response within 150 ms');
      const [accepted] = await twilio.waitForMessages(1);
      expect(accepted.idempotencyToken).toBe(page.idempotencyKey);
    });
  });

  describe('configuration', () => {
    const valid: SmsOptions = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: FROM, timeoutMs: 5000 };

    it('works with only an account SID, an auth token and a from-number (plus a timeout)', () => {
      const channel = new SmsChannel(valid);
      expect(channel.kind).toBe('SMS');
    });

    it('rejects an account SID that does not start with "AC"', () => {
      expect(() => new SmsChannel({ ...valid, accountSid: 'SK0123456789abcdef0123456789abcdef' })).toThrow(
        /accountSid must start with "AC" and be 34 characters/,
      );
    });

    it('rejects an account SID of the wrong length', () => {
      expect(() => new SmsChannel({ ...valid, accountSid: 'AC0123' })).toThrow(/accountSid .*got "AC0123…" \(6 characters\)/);
    });

    it('requires an auth token', () => {
      expect(() => new SmsChannel({ ...valid, authToken: '' })).toThrow(/authToken is required/);
    });

    it('requires a from-number or a messaging service SID', () => {
      expect(() => new SmsChannel({ ...valid, fromNumber: undefined })).toThrow(
        /fromNumber \(E\.164, e\.g\. \+15005550006\) or messagingServiceSid is required/,
      );
    });

    it('rejects a from-number that is not E.164', () => {
      expect(() => new SmsChannel({ ...valid, fromNumber: '(415) 555-0100' })).toThrow(
        /fromNumber must be E\.164 .*got "\(415\) 555-0100"/,
      );
    });

    it('lists every problem at once, prefixed so the operator knows which config is wrong', () => {
      expect(() => new SmsChannel({ accountSid: 'nope', authToken: '', timeoutMs: 0 })).toThrow(
        /^Invalid SMS \(Twilio\) configuration: accountSid .*; authToken is required; fromNumber .* is required; timeoutMs must be a positive number$/,
      );
    });
  });
});

describe('Twilio stand-in', () => {
  let twilio: TwilioStandIn;
  const url = () => `${twilio.baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;

  beforeEach(async () => {
    twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(async () => {
    await twilio.close();
  });

  it('answers 401 with Twilio’s error JSON without Basic auth', async () => {
    const response = await fetch(url(), { method: 'POST', body: new URLSearchParams({ To: '+14155550123' }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('ignores a JSON body like Twilio does (no form parameters → 21604)', async () => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ To: '+14155550123', From: FROM, Body: 'hi' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 21604, status: 400 });
  });

  it('requires Body (21602) and From or MessagingServiceSid (21603)', async () => {
    const post = (params: Record<string, string>) =>
      fetch(url(), { method: 'POST', headers: { Authorization: auth }, body: new URLSearchParams(params) });
    expect(await (await post({ To: '+14155550123', From: FROM })).json()).toMatchObject({ code: 21602 });
    expect(await (await post({ To: '+14155550123', Body: 'hi' })).json()).toMatchObject({ code: 21603 });
    expect(twilio.messages).toHaveLength(0);
  });
});
