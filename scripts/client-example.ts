import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Subscribes to incidentCreated and prints each new incident.
 * Usage: IB_TOKEN=<token> npm run client:example   (IB_URL defaults to ws://localhost:4000/graphql)
 */
const url = process.env.IB_URL ?? 'ws://localhost:4000/graphql';
const token = process.env.IB_TOKEN;
if (!token) {
  console.error('set IB_TOKEN to an API token (the admin token printed on first start works)');
  process.exit(2);
}

interface Closed {
  code: number;
  reason: string;
}

function isClosed(value: unknown): value is Closed {
  return typeof value === 'object' && value !== null && typeof (value as Closed).code === 'number';
}

/** 4xxx: the server refused us (a wrong or revoked token, a bad request); retrying will not change that. */
function isRefusal(value: unknown): boolean {
  return isClosed(value) && value.code >= 4000 && value.code < 5000;
}

function describe(error: unknown): string {
  if (isRefusal(error)) {
    const { code, reason } = error as Closed;
    return `the server refused the connection (${code} ${reason}): is IB_TOKEN a valid API token?`;
  }
  if (isClosed(error)) return `the connection to ${url} closed (${error.code}${error.reason ? ` ${error.reason}` : ''}); is the server running?`;
  if (Array.isArray(error)) return error.map((each: { message?: string }) => each.message ?? String(each)).join('; ');
  return error instanceof Error ? error.message : String(error);
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  shouldRetry: (event) => !isRefusal(event),
  on: {
    closed: (event) => {
      if (isClosed(event) && event.code !== 1000 && !isRefusal(event)) console.error(`${describe(event)} Retrying…`);
    },
  },
});
console.log(`subscribed to incidentCreated at ${url}; declare an incident to see it here (Ctrl-C to stop)`);
client.subscribe(
  { query: 'subscription { incidentCreated { id number title priority status openedAt } }' },
  {
    next: (message) => console.log(JSON.stringify(message.data)),
    error: (error) => {
      console.error(`subscription failed: ${describe(error)}`);
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
