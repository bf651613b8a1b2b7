/** Polls `probe` until it returns something other than undefined; rejects after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads until `settled` accepts what it read or `timeoutMs` has passed; returns the last read either way, for a check to judge. */
export async function readUntil<T>(read: () => Promise<T>, settled: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (settled(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls until `items` holds at least `n` entries; rejects after `timeoutMs` saying what it saw. */
export async function waitForCount<T>(what: string, items: readonly T[], n: number, timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (items.length < n) {
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${n} ${what}; received ${items.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return items.slice(0, n);
}
