import type { DataSource } from 'typeorm';

/**
 * Runs `renew` every `intervalMs` until stopped, never two at once (a slow renewal skips the ticks it overlaps);
 * stop() waits for the one under way. Holders of leased work renew every third of their lease with it.
 */
export function renewEvery(intervalMs: number, renew: () => Promise<void>): { stop(): Promise<void> } {
  let renewing: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    renewing = renew().finally(() => {
      busy = false;
    });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}

/** The outbox tables whose rows are claimed with a lease (status SENDING, `attempts` naming the claim). */
export type LeasedTable = 'notification' | 'status_delivery';

/**
 * Extends the leases of the claims still held (id → the attempt number that identifies the claim) and drops from
 * `held` those not renewed: another worker took them over after our lease ran out (this process stalled), so their
 * messages may go twice. Returns how many were lost; a failed renewal loses nothing here (the lease may still hold).
 */
export async function renewHeldClaims(
  db: Pick<DataSource, 'query'>,
  table: LeasedTable,
  held: Map<string, number>,
  leaseEnd: Date,
): Promise<string[]> {
  const ids = [...held.keys()];
  const [rows] = await db.query(
    `UPDATE ${table} t SET claimed_until = $3
       FROM unnest($1::uuid[], $2::int[]) AS h(id, attempts)
      WHERE t.id = h.id AND t.status = 'SENDING' AND t.attempts = h.attempts
      RETURNING t.id`,
    [ids, ids.map((id) => held.get(id)), leaseEnd],
  );
  const renewed = new Set((rows as Array<{ id: string }>).map((row) => row.id));
  const lost = ids.filter((id) => !renewed.has(id) && held.has(id));
  for (const id of lost) held.delete(id);
  return lost;
}
