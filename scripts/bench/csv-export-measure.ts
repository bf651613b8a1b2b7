import fs from 'node:fs';
import type { ServerProcess } from './server-process';

export interface ExportMeasure {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

/** The server's resident memory now, from /proc (Linux), in MiB. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * Reads the whole CSV export of [from, to) as a client would, counting its lines, while sampling the server's
 * resident memory every 20 ms: rows per second, and the peak against the resident memory before the export began.
 */
export async function measureCsvExport(server: ServerProcess, token: string, from: Date, to: Date): Promise<ExportMeasure> {
  const rssBeforeMb = rssMb(server.pid);
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(server.pid));
  }, 20);
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  try {
    const response = await fetch(`${server.url}/analytics/incidents.csv?from=${from.toISOString()}&to=${to.toISOString()}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok || !response.body) throw new Error(`CSV export answered ${response.status}: ${await response.text()}`);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  // The header line is not a row; quoted titles hold no newline (the generator writes none).
  const rows = lines - 1;
  return { rows, bytes, seconds, rowsPerSecond: rows / seconds, rssBeforeMb, peakRssMb };
}
