import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { ActorType, Priority } from '../../src/schema/enums';
import { startTestApp, type TestApp } from '../support/test-app';
import { connectedOnce, connectWs, sleep, Subscription } from './ws-client';

interface RawConnection {
  socket: net.Socket;
  /** Everything the server sent, as text. */
  received(): string;
  /** Resolves when the server closed the connection, with how long it had been open (ms). */
  closed: Promise<number>;
}

function connect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const opened = performance.now();
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now() - opened)));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` one character every `everyMs` until the socket closes; resolves with how much was written. */
async function dribble(socket: net.Socket, text: string, everyMs: number): Promise<number> {
  let written = 0;
  for (const character of text) {
    if (socket.destroyed || socket.writableEnded) break;
    socket.write(character);
    written += 1;
    await sleep(everyMs);
  }
  return written;
}

describe('client timeouts and the connection cap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      config: {
        HTTP_HEADERS_TIMEOUT_MS: '600',
        HTTP_REQUEST_TIMEOUT_MS: '1000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '400',
        HTTP_IDLE_TIMEOUT_MS: '1500',
        HTTP_MAX_CONNECTIONS: '20',
      },
    });
  });
  afterAll(() => t.close());

  it('closes a connection that never sends a request', async () => {
    const idle = await connect(t.url);
    const openFor = await idle.closed;
    expect(openFor).toBeGreaterThanOrEqual(500);
    expect(idle.received()).toMatch(/^(HTTP\/1\.1 408|$)/);
  });

  it('answers 408 to headers dribbled slower than the headers timeout, before they are complete', async () => {
    const slow = await connect(t.url);
    const headers = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const written = await dribble(slow.socket, headers, 20);
    await slow.closed;
    expect(written).toBeLessThan(headers.length);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 to a body dribbled slower than the request timeout, and nothing of it is processed', async () => {
    const slow = await connect(t.url);
    const body = JSON.stringify({ query: `mutation { declareIncident(input: { title: "dribbled", serviceId: "00000000-0000-4000-8000-000000000000", priority: P1 }) { incident { id } } }` });
    slow.socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const written = await dribble(slow.socket, body, 15);
    await slow.closed;
    expect(written).toBeLessThan(body.length);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a kept-alive connection once it has been idle for the keep-alive timeout', async () => {
    const connection = await connect(t.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const openFor = await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(openFor).toBeGreaterThanOrEqual(300);
  });

  it('refuses connections beyond the cap and serves again once they close', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => connect(t.url)));
    const extra = await connect(t.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toBe('');
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    const after = await fetch(`${t.url}/healthz`);
    expect(after.status).toBe(200);
  });

  it('leaves an open WebSocket subscription alone past every HTTP timeout', async () => {
    const serviceId = (await t.app.services.catalog.createService({ name: 'Push', slug: 'push' })).id;
    const client = connectWs(t, t.adminToken);
    const connected = connectedOnce(client);
    const subscription = new Subscription<{ incidentCreated: { id: string } }>(client, `subscription { incidentCreated { id } }`);
    await connected;
    const declare = async () =>
      (await t.app.services.incidents.declare({ type: ActorType.SYSTEM, id: null, name: 'test' }, { title: 'late', serviceId, priority: Priority.P4 })).id;
    await subscription.untilLive(declare, (result, id) => result.data?.incidentCreated.id === id);
    await sleep(2000);
    const id = await declare();
    expect((await subscription.next()).data?.incidentCreated.id).toBe(id);
    await client.dispose();
  });
});
