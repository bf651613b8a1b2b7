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
