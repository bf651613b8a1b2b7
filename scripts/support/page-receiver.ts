import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookPayload } from '../../src/notify/webhook.channel';

/** One page the receiver accepted: the signed-webhook body and whether its signature checked out. */
export interface ReceivedPage {
  path: string;
  payload: WebhookPayload;
  /** 'valid', or why not (missing_headers, malformed, stale, mismatch). */
  signature: string;
}

export interface PageReceiver {
  /** Where contact methods of the WEBHOOK channel point (any path below it). */
  url: string;
  pages: ReceivedPage[];
  close(): Promise<void>;
}

/**
 * A real HTTP endpoint for the signed-webhook channel on loopback: answers 200, keeps every page with the outcome
 * of verifying its signature with `secret` (as a receiver is told to in README).
 */
export async function startPageReceiver(secret: string): Promise<PageReceiver> {
  const pages: ReceivedPage[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const verification = verifyWebhookSignature(secret, req.headers, raw);
      try {
        pages.push({ path: req.url ?? '/', payload: JSON.parse(raw.toString('utf8')) as WebhookPayload, signature: verification.ok ? 'valid' : verification.reason });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
