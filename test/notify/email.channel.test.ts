import { createHash } from 'node:crypto';
import { EmailChannel, EmailOptions, OutboundMessage, messageIdFor } from '../../src/notify';
import { startSmtpReceiver, SmtpReceiver } from '../support/receivers/smtp-receiver';
import { deliveryFailure, refusedPort, silentServer } from './helpers';

const page: OutboundMessage = {
  idempotencyKey: 'page:incident-42:user-7:attempt-1',
  to: 'oncall@example.com',
  subject: '[SEV1] #42 Checkout API down',
  body: 'Triggered 12:03 UTC.\nRunbook: https://runbooks.example.com/checkout',
};

describe('E-mail channel (SMTP)', () => {
  let smtp: SmtpReceiver;
  const channels: EmailChannel[] = [];
  const channel = (overrides: Partial<EmailOptions> = {}): EmailChannel => {
    const created = new EmailChannel({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      from: 'Incident Bridge <pager@incident-bridge.test>',
      timeoutMs: 2000,
      ...overrides,
    });
    channels.push(created);
    return created;
  };

  beforeEach(async () => {
    smtp = await startSmtpReceiver();
  });
  afterEach(async () => {
    for (const c of channels.splice(0)) c.close();
    await smtp.close();
  });

  describe('delivery', () => {
    it('sends From, To, Subject and the plain-text body', async () => {
      await channel().send(page);
      const [mail] = await smtp.waitForMessages(1);
      expect(mail.envelope).toEqual({ mailFrom: 'pager@incident-bridge.test', rcptTo: ['oncall@example.com'] });
      expect(mail.header('From')).toBe('Incident Bridge <pager@incident-bridge.test>');
      expect(mail.header('To')).toBe('oncall@example.com');
      expect(mail.header('Subject')).toBe('[SEV1] #42 Checkout API down');
      expect(mail.header('Content-Type')).toMatch(/^text\/plain/);
      expect(mail.text).toBe(page.body);
    });

    it('carries the idempotency key in X-Idempotency-Key and a Message-ID derived from it', async () => {
      const result = await channel().send(page);
      const [mail] = await smtp.waitForMessages(1);
      const expectedId = `<${createHash('sha256').update(page.idempotencyKey).digest('hex')}@incident-bridge>`;
      expect(mail.header('X-Idempotency-Key')).toBe(page.idempotencyKey);
      expect(mail.header('Message-ID')).toBe(expectedId);
      expect(result.providerMessageId).toBe(expectedId);
    });

    it('offers one-click unsubscribe (RFC 8058) when the message has an unsubscribe URL, and no such header otherwise', async () => {
      const unsubscribeUrl = 'https://status.example.com/status/main/subscribers/unsubscribe?token=abc.0.def';
      await channel().send({ ...page, unsubscribeUrl });
      await channel().send({ ...page, idempotencyKey: 'page:incident-42:user-7:attempt-2' });
      const [withLink, without] = await smtp.waitForMessages(2);
      expect(withLink.header('List-Unsubscribe')).toBe(`<${unsubscribeUrl}>`);
      expect(withLink.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(without.header('List-Unsubscribe')).toBeUndefined();
      expect(without.header('List-Unsubscribe-Post')).toBeUndefined();
    });

    it('gives a re-delivery of the same notification the same Message-ID, and another notification a different one', async () => {
      const c = channel();
      await c.send(page);
      await c.send(page);
      await c.send({ ...page, idempotencyKey: 'page:incident-42:user-8:attempt-1' });
      const mails = await smtp.waitForMessages(3);
      expect(mails[0].header('Message-ID')).toBe(mails[1].header('Message-ID'));
      expect(mails[2].header('Message-ID')).toBe(messageIdFor('page:incident-42:user-8:attempt-1'));
      expect(mails[2].header('Message-ID')).not.toBe(mails[0].header('Message-ID'));
    });

    it('round-trips non-ASCII subject and body', async () => {
      await channel().send({ ...page, subject: 'Störung: Zahlungsdienst – 100% Fehler', body: 'Grüße aus Zürich ✓\n50% = bad' });
      const [mail] = await smtp.waitForMessages(1);
      expect(mail.header('Subject')).toBe('Störung: Zahlungsdienst – 100% Fehler');
      expect(mail.text).toBe('Grüße aus Zürich ✓\n50% = bad');
    });

    it('keeps long lines, lines starting with a dot and a long non-ASCII subject intact, with a long unsubscribe link', async () => {
      const body = `${'ä'.repeat(120)}\n.\n.leading dot\n${'x'.repeat(300)}`;
      const subject = `Wartung: ${'Zahlungsdienst – '.repeat(6)}Ende`;
      const link = 'https://status.example.com/status/main/subscribers/unsubscribe?token=0b8f0c1e-7d4e-4a53-9d0a-3b6f0a9c2e11.0.aBcD';
      await channel().send({ ...page, subject, body, unsubscribeUrl: link });
      const [mail] = await smtp.waitForMessages(1);
      expect(mail.header('Subject')).toBe(subject);
      expect(mail.text).toBe(body);
      expect(mail.header('List-Unsubscribe')).toBe(`<${link}>`);
      expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    });

    it('sends many messages at once over a pool of kept connections', async () => {
      const pooled = channel({ pooledConnections: 2 });
      await Promise.all(Array.from({ length: 30 }, (_, i) => pooled.send({ ...page, idempotencyKey: `status:${i}`, to: `subscriber${i}@example.com` })));
      const mails = await smtp.waitForMessages(30);
      expect(new Set(mails.flatMap((mail) => mail.envelope.rcptTo)).size).toBe(30);
      expect(mails.every((mail) => mail.header('To') === mail.envelope.rcptTo[0])).toBe(true);
    });

    it('authenticates with user and password when configured', async () => {
      await smtp.close();
      smtp = await startSmtpReceiver({ auth: { user: 'pager', password: 's3cret' } });
      await channel({ user: 'pager', password: 's3cret' }).send(page);
      const [mail] = await smtp.waitForMessages(1);
      expect(mail.authenticatedUser).toBe('pager');
    });
  });

  describe('failure classification', () => {
    it('recipient refused with 550 is not retryable', async () => {
      smtp.rejectRecipient('oncall@example.com', { code: 550, message: '5.1.1 Mailbox unavailable' });
      const error = await deliveryFailure(channel().send(page));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(550);
      expect(error.message).toContain('5.1.1 Mailbox unavailable');
      expect(smtp.messages).toHaveLength(0);
    });

    it('wrong credentials (535) are not retryable', async () => {
      await smtp.close();
      smtp = await startSmtpReceiver({ auth: { user: 'pager', password: 's3cret' } });
      const error = await deliveryFailure(channel({ user: 'pager', password: 'wrong' }).send(page));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(535);
    });

    it('a transient 451 after DATA is retryable, and the retry is delivered', async () => {
      smtp.rejectNextMessage({ code: 451, message: '4.3.0 Try again later' });
      const c = channel();
      const error = await deliveryFailure(c.send(page));
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(451);
      await c.send(page);
      await smtp.waitForMessages(1);
    });

    it('connection refused is retryable', async () => {
      const error = await deliveryFailure(channel({ port: await refusedPort() }).send(page));
      expect(error.retryable).toBe(true);
      expect(error.status).toBeUndefined();
    });

    it('a server that never greets within timeoutMs is retryable', async () => {
      const silent = await silentServer();
      try {
        const error = await deliveryFailure(channel({ port: silent.port, timeoutMs: 200 }).send(page));
        expect(error.retryable).toBe(true);
        expect(error.message).toMatch(/timeout|ETIMEDOUT/i);
      } finally {
        await silent.close();
      }
    });
  });

  describe('configuration', () => {
    it('reports every problem at construction', () => {
      expect(() => new EmailChannel({ host: '', port: 0, secure: false, from: '', user: 'x', timeoutMs: 0 })).toThrow(
        /^Invalid e-mail \(SMTP\) configuration: host is required; port must be 1-65535; from is required; give both user and password, or neither; timeoutMs must be a positive number$/,
      );
    });
  });
});
