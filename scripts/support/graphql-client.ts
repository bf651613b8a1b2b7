import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from './wait';

/** A GraphQL operation over HTTP with a bearer token; throws with the server's errors when there are any. */
export async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** One graphql-ws subscription (its own connection) whose events are kept, for a check to look through. */
export class EventSubscription<T> {
  readonly events: T[] = [];
  private failure: string | undefined;
  private readonly client: Client;

  constructor(httpUrl: string, token: string, query: string) {
    this.client = createClient({
      url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    this.client.subscribe<T>(
      { query },
      {
        next: (result) => {
          if (result.errors?.length) this.failure = `errors ${JSON.stringify(result.errors)}`;
          else if (result.data) this.events.push(result.data as T);
        },
        error: (error) => (this.failure = `ended with ${error instanceof Error ? error.message : JSON.stringify(error)}`),
        complete: () => (this.failure ??= 'completed by the server'),
      },
    );
  }

  /** The first event `matches` accepts (received already or within `timeoutMs`). */
  next(what: string, matches: (event: T) => boolean, timeoutMs: number): Promise<T> {
    return waitFor(
      what,
      () => {
        const found = this.events.find(matches);
        if (found === undefined && this.failure) throw new Error(`subscription ${this.failure} before ${what}`);
        return found;
      },
      timeoutMs,
    );
  }

  /**
   * Resolves once the server-side subscription is live: `trigger` makes an event and returns its marker, again
   * until one arrives. Without it, an event made right after subscribing can come before the server subscribed.
   */
  async untilLive(trigger: () => Promise<string>, matches: (event: T, marker: string) => boolean): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const marker = await trigger();
      try {
        await this.next('the probe event', (event) => matches(event, marker), 250);
        return;
      } catch (error) {
        if (this.failure) throw error;
      }
    }
    throw new Error('the subscription never became live');
  }

  /** Ends the connection; one the server has closed already is no problem. */
  async close(): Promise<void> {
    await Promise.resolve(this.client.dispose()).catch(() => undefined);
  }
}
