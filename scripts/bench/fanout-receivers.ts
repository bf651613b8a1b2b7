/**
 * The receivers of bench:fanout, on loopback in the bench's process: a real SMTP server (smtp-server) and a real HTTP
 * server that note when each message arrived and for whom, and nothing more (no MIME parsing: the bench counts
 * arrivals, the tests check contents), so the receiving side costs little of the shared machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../../src/notify/webhook.channel';
import { closeServer, listen } from '../support/loopback-server';

export interface Arrival {
  /** The recipient address (SMTP) or the request path (HTTP). */
  to: string;
  /** performance.now() in this process. */
  at: number;
}

export interface CountingSmtp {
  host: string;
  port: number;
  arrivals: Arrival[];
  close(): Promise<void>;
}

/** `acceptDelayMs`: how long the server takes to accept each message after its data (a real MTA writes it to disk first). */
export async function startCountingSmtp(acceptDelayMs = 0): Promise<CountingSmtp> {
  const arrivals: Arrival[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const at = performance.now();
        for (const recipient of session.envelope.rcptTo) arrivals.push({ to: recipient.address, at });
        if (acceptDelayMs) setTimeout(() => callback(), acceptDelayMs);
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { host: '127.0.0.1', port, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface CountingHttp {
  url: string;
  arrivals: Arrival[];
  /** Requests whose signature did not verify with the subscribers' secret, by reason. */
  badSignatures: Map<string, number>;
  close(): Promise<void>;
}

/** Answers 200 to every POST, verifying its signature with `secret`. */
export async function startCountingHttp(secret: string): Promise<CountingHttp> {
  const arrivals: Arrival[] = [];
  const badSignatures = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrivals.push({ to: req.url ?? '/', at: performance.now() });
      const verification = verifyWebhookSignature(secret, req.headers, Buffer.concat(chunks));
      if (!verification.ok) badSignatures.set(verification.reason, (badSignatures.get(verification.reason) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals, badSignatures, close: () => closeServer(server, new Set()) };
}
