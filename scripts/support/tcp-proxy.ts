import net from 'node:net';

/**
 * A real TCP proxy on loopback, for outages on demand until `restore()`:
 * - `cut('refuse')` drops every connection through it and refuses new ones (the database went down);
 * - `cut('blackhole')` drops them and accepts new ones that forward nothing (a dead host);
 * - `cut('freeze')` keeps every connection open but forwards nothing either way, new ones included (a silent
 *   network partition: nobody is told); `restore()` then drops the frozen ones, as their peers' timeouts would.
 * Put it between a server and PostgreSQL by pointing the server's database URL at `url(...)`.
 */
export class TcpProxy {
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private state: 'open' | 'refusing' | 'blackhole' | 'frozen' = 'open';
  private held = new Set<net.Socket>();
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** A proxy in front of the PostgreSQL a URL names. */
  static forDatabase(databaseUrl: string): Promise<TcpProxy> {
    const url = new URL(databaseUrl);
    return TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  }

  /** `databaseUrl` with its host and port replaced by this proxy's. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Connections open through the proxy now. */
  get connections(): number {
    return this.pairs.size;
  }

  cut(mode: 'refuse' | 'blackhole' | 'freeze' = 'refuse'): void {
    this.state = mode === 'refuse' ? 'refusing' : mode === 'blackhole' ? 'blackhole' : 'frozen';
    for (const { client, upstream } of this.pairs) {
      if (mode === 'freeze') {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      } else {
        client.destroy();
        upstream.destroy();
      }
    }
    if (mode !== 'freeze') this.pairs.clear();
  }

  restore(): void {
    if (this.state === 'frozen') {
      for (const { client, upstream } of this.pairs) {
        client.destroy();
        upstream.destroy();
      }
      this.pairs.clear();
    }
    this.state = 'open';
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.cut();
    this.restore();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    client.on('error', () => undefined);
    if (this.state === 'refusing') {
      client.destroy();
      return;
    }
    if (this.state === 'blackhole' || this.state === 'frozen') {
      this.held.add(client);
      client.on('close', () => this.held.delete(client));
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    upstream.on('error', () => client.destroy());
    const pair = { client, upstream };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
