import {
  closeChannels,
  createChannels,
  DeliveryError,
  EmailChannel,
  SlackChannel,
  SmsChannel,
  WebhookChannel,
} from '../../src/notify';

const sms = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'token', fromNumber: '+15005550006', timeoutMs: 5000 };
const email = { host: '127.0.0.1', port: 2525, secure: false, from: 'pager@incident-bridge.test', timeoutMs: 5000 };

describe('createChannels', () => {
  it('builds exactly the channels that are configured', async () => {
    const channels = createChannels({ sms, slack: { timeoutMs: 5000 } });
    expect(Object.keys(channels).sort()).toEqual(['SLACK', 'SMS']);
    expect(channels.SMS).toBeInstanceOf(SmsChannel);
    expect(channels.SLACK).toBeInstanceOf(SlackChannel);
    expect(channels.EMAIL).toBeUndefined();
    await closeChannels(channels);
  });

  it('builds all four, each reporting its kind', async () => {
    const channels = createChannels({ sms, email, slack: { timeoutMs: 5000 }, webhook: { secret: 'whsec_test_0123456789', timeoutMs: 5000 } });
    expect(channels.EMAIL).toBeInstanceOf(EmailChannel);
    expect(channels.WEBHOOK).toBeInstanceOf(WebhookChannel);
    for (const [kind, channel] of Object.entries(channels)) expect(channel?.kind).toBe(kind);
    await closeChannels(channels);
  });

  it('gives no channels for an empty config', () => {
    expect(createChannels({})).toEqual({});
  });

  it('fails at startup on invalid configuration', () => {
    expect(() => createChannels({ sms: { ...sms, accountSid: 'AC123' } })).toThrow(/Invalid SMS \(Twilio\) configuration/);
  });

  it('refuses a header-unsafe idempotency key on every channel, without retrying', async () => {
    const channels = createChannels({ sms, email, slack: { timeoutMs: 5000 }, webhook: { secret: 'whsec_test_0123456789', timeoutMs: 5000 } });
    for (const channel of Object.values(channels)) {
      const sending = channel!.send({ idempotencyKey: 'bad\r\nX-Injected: 1', to: 'x', subject: 's', body: 'b' });
      await expect(sending).rejects.toBeInstanceOf(DeliveryError);
      await expect(sending).rejects.toMatchObject({ retryable: false });
    }
    await closeChannels(channels);
  });
});
