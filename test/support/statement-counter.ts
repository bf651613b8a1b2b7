import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Every SQL statement the application's pool sends while `run` executes (turn background jobs off). Other clients
 * share the client class and are left out: the change listener's own connection (its heartbeat), and the pools of
 * other applications in the same process (another instance of a two-instance test).
 */
export async function statementsDuring(db: DataSource, run: () => Promise<void>): Promise<string[]> {
  const pool = (db.driver as unknown as { master: Pool & { _clients: unknown[] } }).master;
  const probe: PoolClient = await pool.connect();
  const prototype = Object.getPrototypeOf(probe) as { query: (...args: unknown[]) => unknown };
  probe.release();
  const original = prototype.query;
  const statements: string[] = [];
  prototype.query = function (this: { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
    if (this.connectionParameters?.application_name === 'incident-bridge-listener' || !pool._clients.includes(this)) return original.apply(this, args);
    const [first] = args;
    statements.push(typeof first === 'string' ? first : String((first as { text?: string })?.text ?? first));
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    prototype.query = original;
  }
  return statements;
}
