import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SMS request the stand-in accepted, with when it arrived (performance.now() of this process). */
export interface ReceivedSms {
  at: number;
  to: string;
  body: string;
  idempotencyToken: string | null;
}

export interface BenchTwilio {
  /** Give this as TWILIO_API_BASE_URL. */
  baseUrl: string;
  messages: ReceivedSms[];
  /** Requests answered with something other than 201 (bad auth, path, or missing To/Body). */
  rejected: number;
  close(): Promise<void>;
}

/**
 * A minimal stand-in for Twilio's Messages resource (POST /2010-04-01/Accounts/{sid}/Messages.json),
 * for the paging bench: checks Basic auth and the form's To/Body, records the arrival time, and answers
 * 201 with Twilio-like JSON ({ sid, status: 'queued', … }). The full stand-in the tests use lives under
 * test/, which the build does not compile.
 */
export async function startBenchTwilio(accountSid: string, authToken: string): Promise<BenchTwilio> {
  const messages: ReceivedSms[] = [];
  let rejected = 0;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const expectedPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const to = params.get('To');
      const body = params.get('Body');
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== expectedPath || req.headers.authorization !== expectedAuth || !to || !body) {
        rejected += 1;
        answer(400, { code: 21600, message: 'rejected by the bench stand-in', status: 400 });
        return;
      }
      const token = req.headers['i-twilio-idempotency-token'];
      messages.push({ at, to, body, idempotencyToken: typeof token === 'string' ? token : null });
      const sid = `SM${randomBytes(16).toString('hex')}`;
      answer(201, { sid, account_sid: accountSid, to, from: params.get('From'), body, status: 'queued', api_version: '2010-04-01' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    messages,
    get rejected() {
      return rejected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
