import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestApp } from '../support/test-app';

/** A real graphql-ws client on the test app's port; `token` goes in connectionParams as the server expects. */
export function connectWs(t: TestApp, token?: string): Client {
  return createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** Resolves with the close code when the client's socket closes (e.g. 4403 when the server refuses it). */
export function closedOnce(client: Client): Promise<CloseInfo> {
  return new Promise((resolve) => {
    const off = client.on('closed', (event) => {
      off();
      const { code, reason } = event as { code: number; reason: string };
      resolve({ code, reason });
    });
  });
}

/** Resolves when the server acknowledged the connection (connection_ack). */
export function connectedOnce(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
  });
}

/**
 * One subscription whose results queue up, so a test can take them in order,
 * wait for a specific one, or check that nothing arrived.
 */
export class Subscription<T> {
  readonly received: Array<FormattedExecutionResult<T, unknown>> = [];
  error: unknown = undefined;
  completed = false;
  private waiters: Array<() => void> = [];
  private readonly dispose: () => void;

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    this.dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          this.received.push(result);
          this.wake();
        },
        error: (error) => {
          this.error = error;
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.wake();
        },
      },
    );
  }

  /** The next result not yet taken (in arrival order); rejects after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<FormattedExecutionResult<T, unknown>> {
    await this.waitFor(() => this.received.length > 0 || this.error !== undefined || this.completed, timeoutMs);
    if (this.received.length) return this.received.shift()!;
    throw new Error(`subscription ended before a result: ${describeError(this.error)}`);
  }

  /** Resolves once the subscription failed or completed without results. */
  async ended(timeoutMs = 5000): Promise<unknown> {
    await this.waitFor(() => this.error !== undefined || this.completed, timeoutMs);
    return this.error;
  }

  /**
   * Proves the server-side subscription is live: runs `trigger` (which returns a marker) until a result
   * matching that marker arrives, then drops everything received so far. Notifications are delivered in
   * commit order, so every later result was caused by something the test does afterwards.
   */
  async untilLive(trigger: () => Promise<string>, matches: (result: FormattedExecutionResult<T, unknown>, marker: string) => boolean): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const marker = await trigger();
      try {
        await this.waitFor(() => this.received.some((result) => matches(result, marker)), 250);
        this.received.splice(0, this.received.length);
        return;
      } catch {
        // not live yet: try again
      }
    }
    throw new Error(`subscription never became live: ${describeError(this.error)}`);
  }

  /**
   * Proves that nothing else arrived: runs `trigger` (which causes an event this subscription receives and returns
   * its marker) and returns every result received before the marker's, which a test expects to be empty. Events
   * arrive in commit order, so one that had been caused earlier would come before the marker.
   */
  async untilMarker(trigger: () => Promise<string>, matches: (result: FormattedExecutionResult<T, unknown>, marker: string) => boolean): Promise<Array<FormattedExecutionResult<T, unknown>>> {
    const marker = await trigger();
    const before: Array<FormattedExecutionResult<T, unknown>> = [];
    for (;;) {
      const result = await this.next();
      if (matches(result, marker)) return before;
      before.push(result);
    }
  }

  close(): void {
    this.dispose();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a subscription result`));
      }, timeoutMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      this.waiters.push(check);
    });
  }
}

function describeError(error: unknown): string {
  if (error === undefined) return 'no error';
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
