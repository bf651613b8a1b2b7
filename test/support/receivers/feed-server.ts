import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { closeServer, listen } from '../../../scripts/support/loopback-server';

/**
 * A provider's status page on 127.0.0.1: serves recorded feeds (test/fixtures/status-feeds) at paths the test chooses,
 * with an ETag and Last-Modified per document and 304 to a request that presents them, as Statuspage and Azure's CDN
 * do. Every request is logged with the validators it sent and what it was answered.
 */

export const FEED_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'status-feeds');

export interface FeedRequestLog {
  path: string;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  status: number;
}

export type FeedAnswer =
  | { fixture: string; contentType?: string; lastModified?: string }
  | { status: number; body?: string; headers?: Record<string, string> };

export interface FeedServer {
  readonly url: string;
  /** Answered requests, in the order they were answered. */
  readonly requests: FeedRequestLog[];
  /** Paths of requests as they arrive, answered or not (held). */
  readonly arrivals: string[];
  /** What `feedPath` answers from now on. */
  serve(feedPath: string, answer: FeedAnswer): void;
  /** Requests to `feedPath` wait until the returned function is called. */
  hold(feedPath: string): () => void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export async function startFeedServer(): Promise<FeedServer> {
  const answers = new Map<string, FeedAnswer>();
  const holds = new Map<string, Promise<void>>();
  const requests: FeedRequestLog[] = [];
  const arrivals: string[] = [];
  const server = http.createServer((req, res) => {
    const feedPath = req.url ?? '';
    arrivals.push(feedPath);
    const respond = () => {
      const answer = answers.get(feedPath) ?? { status: 404, body: 'Not Found' };
      const log = (status: number) => requests.push({ path: feedPath, ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since'), status });
      if ('status' in answer) {
        log(answer.status);
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
        return;
      }
      const body = readFileSync(path.join(FEED_FIXTURES, answer.fixture));
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      const lastModified = answer.lastModified ?? 'Thu, 03 Dec 2026 10:00:00 GMT';
      const validators = { etag, 'last-modified': lastModified };
      if (header(req, 'if-none-match') === etag) {
        log(304);
        res.writeHead(304, validators);
        res.end();
        return;
      }
      log(200);
      res.writeHead(200, { ...validators, 'content-type': answer.contentType ?? CONTENT_TYPES[path.extname(answer.fixture)] ?? 'application/octet-stream' });
      res.end(body);
    };
    const held = holds.get(feedPath);
    if (held) void held.then(respond);
    else respond();
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    arrivals,
    serve(feedPath, answer) {
      answers.set(feedPath, answer);
    },
    hold(feedPath) {
      let release = () => {};
      holds.set(
        feedPath,
        new Promise<void>((resolve) => {
          release = () => {
            holds.delete(feedPath);
            resolve();
          };
        }),
      );
      return release;
    },
    close: () => closeServer(server, new Set()),
  };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
