import { performance } from 'node:perf_hooks';

export interface LatencyComparison {
  /** Slowest of a few /healthz round trips on an idle server, in ms. */
  baselineMs: number;
  /** How long `work` took, in ms. */
  workMs: number;
  /** The slowest /healthz round trip started while `work` ran, in ms. */
  healthzDuringMs: number;
}

async function healthzMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/healthz`);
  await response.text();
  return performance.now() - started;
}

/**
 * Times `work` against the server's own /healthz latency, measured in the same run, so a test can bound
 * the ratio instead of an absolute time: the machine's speed drifts, a ratio to the same server's probe does not.
 * The best of `attempts` tries counts, so one garbage collection or a busy neighbour cannot fail a test,
 * while a real stall (which every try shows) still does.
 */
export async function compareWithHealthz<T>(url: string, work: () => Promise<T>, attempts = 3): Promise<LatencyComparison & { result: T }> {
  let best: (LatencyComparison & { result: T }) | null = null;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const idle: number[] = [];
    for (let i = 0; i < 10; i += 1) idle.push(await healthzMs(url));
    const baselineMs = Math.max(...idle.slice(2));

    let done = false;
    const during: number[] = [];
    const probing = (async () => {
      while (!done) during.push(await healthzMs(url));
    })();
    const started = performance.now();
    const result = await work();
    const workMs = performance.now() - started;
    done = true;
    await probing;

    const comparison = { baselineMs, workMs, healthzDuringMs: Math.max(...during), result };
    if (!best || ratioOf(comparison) < ratioOf(best)) best = comparison;
  }
  return best!;
}

function ratioOf(comparison: LatencyComparison): number {
  return Math.max(comparison.workMs, comparison.healthzDuringMs) / comparison.baselineMs;
}

/** How many idle /healthz round trips the work and the probes during it took at most. */
export function healthzRatios(comparison: LatencyComparison): { work: number; healthz: number } {
  return { work: comparison.workMs / comparison.baselineMs, healthz: comparison.healthzDuringMs / comparison.baselineMs };
}
