import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  path: string;
  secret: string;
  bodies: Buffer[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  result: autocannon.Result;
  /** Requests written whose answer had not arrived when autocannon closed the sockets at the end of the run. */
  cutOff: number;
  /** Requests left unanswered mid-run (timeout, connection reset): they may or may not have committed. */
  abandoned: number;
  /** Requests written, counted per connection. */
  written: number;
}

/**
 * Drives POST <path> with autocannon: `connections` keep-alive connections, one request in flight each,
 * for `seconds`. Bodies come from a ring shared by all connections (setupRequest picks the next one),
 * so concurrent requests carry different alerts and every alert repeats once per turn of the ring.
 * Each connection's requests and answers are counted, so requests cut off by the end of the run are known.
 */
export async function drive(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const connections: Array<{ outstanding: boolean }> = [];
  let abandoned = 0;
  let written = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.secret}` },
        setupRequest: (request) => {
          const body = options.bodies[next % options.bodies.length];
          next += 1;
          return { ...request, body };
        },
      },
    ],
    setupClient: (client) => {
      const state = { outstanding: false };
      connections.push(state);
      // 'request' is emitted just before a request is written; with pipelining 1 the previous one
      // is then answered, or was dropped by a timeout/reconnect.
      (client as unknown as EventEmitter).on('request', () => {
        if (state.outstanding) abandoned += 1;
        state.outstanding = true;
        written += 1;
      });
      client.on('response', () => {
        state.outstanding = false;
      });
    },
  });
  return { result, cutOff: connections.filter((state) => state.outstanding).length, abandoned, written };
}
