import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from '../../../scripts/support/loopback-server';
import { waitForCount } from '../../../scripts/support/wait';

/** A real HTTP server on 127.0.0.1 that records every request; stands in for Slack and webhook endpoints. */

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-cased names, as Node parses them. */
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  receivedAt: Date;
}

export interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
  /** Answer only once this settles: keeps the request in flight for as long as the test needs. */
  until?: Promise<unknown>;
}

export interface HttpReceiver {
  /** Base URL, e.g. http://127.0.0.1:54321 — append any path. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The next `times` requests get `response` (queued after anything already scripted). */
  respondWith(response: ScriptedResponse, times?: number): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export interface HttpReceiverOptions {
  /** Answer when nothing is scripted; defaults to 200 "ok" (what Slack answers). */
  defaultResponse?: ScriptedResponse;
}

export async function startHttpReceiver(options: HttpReceiverOptions = {}): Promise<HttpReceiver> {
  const defaultResponse = options.defaultResponse ?? { status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } };
  const requests: RecordedRequest[] = [];
  const script: ScriptedResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: new Date(),
      });
      const response = script.shift() ?? defaultResponse;
      const answer = (): void => {
        res.writeHead(response.status, response.headers ?? {});
        res.end(response.body ?? '');
      };
      if (response.until) {
        void response.until.then(answer, answer);
      } else if (response.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, response.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(response, times = 1) {
      for (let i = 0; i < times; i++) script.push(response);
    },
    waitForRequests: (n, timeoutMs = 5000) => waitForCount('requests', requests, n, timeoutMs),
    close: () => closeServer(server, timers),
  };
}
