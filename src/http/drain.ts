import type { ServerResponse } from 'node:http';

/**
 * The requests an instance is still working on when it is told to stop. Once `start()` is called the server
 * takes no new work (it answers 503 with Retry-After, `/readyz` included, so a load balancer stops sending),
 * and `start()` resolves when every request let in before has been answered (or its client has gone).
 */
export class RequestDrain {
  private draining = false;
  private readonly running = new Set<ServerResponse>();
  private done: Promise<void> | null = null;
  private settle: (() => void) | null = null;

  get active(): boolean {
    return this.draining;
  }

  /** A request let in: it is waited for. */
  admit(response: ServerResponse): void {
    this.running.add(response);
    response.once('close', () => {
      this.running.delete(response);
      if (this.draining && this.running.size === 0) this.settle?.();
    });
  }

  start(): Promise<void> {
    if (this.done) return this.done;
    this.draining = true;
    for (const response of this.running) {
      // Its client must not send the next request on this connection: it is closed once this answer is out.
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    this.done = this.running.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.settle = resolve));
    return this.done;
  }
}
