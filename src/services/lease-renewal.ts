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
