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

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
console.log(`subscribed to incidentCreated at ${url}; declare an incident to see it here (Ctrl-C to stop)`);
client.subscribe(
  { query: 'subscription { incidentCreated { id number title priority status openedAt } }' },
  {
    next: (message) => console.log(JSON.stringify(message.data)),
    error: (error) => {
      console.error('subscription failed:', error);
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
