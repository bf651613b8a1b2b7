/**
 * What every benchmark shares: its settings from the environment (validated, so a typo stops the run before
 * anything is created), progress on stderr, and the cells of its report (figures, padding, tables, verdicts).
 */
import os from 'node:os';

// ---------------------------------------------------------------------------------------------------------------------
// Settings

/** The machine's PostgreSQL, where the benchmarks create (and drop) their databases unless DATABASE_URL says otherwise. */
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function adminUrlFromEnv(): string {
  return process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

export interface Bounds {
  min: number;
  max: number;
  /** false accepts fractions (seconds, say); integers only by default. */
  integer?: boolean;
}

/** `raw` as a number within `bounds`, or an error naming the setting and what it accepts. */
export function boundedNumber(name: string, raw: string, { min, max, integer = true }: Bounds): number {
  const value = Number(raw);
  const valid = integer ? Number.isInteger(value) : Number.isFinite(value);
  if (!valid || value < min || value > max) throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} ${min}…${max}, got "${raw}"`);
  return value;
}

export function numberFromEnv(name: string, fallback: number, bounds: Bounds): number {
  return boundedNumber(name, process.env[name] ?? String(fallback), bounds);
}

/** A comma-separated setting's entries, trimmed, empty ones left out. */
export function listFromEnv(name: string, fallback = ''): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Extra node flags for the server process (BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). */
export function serverNodeArgsFromEnv(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------------
// Running

/** Progress goes to stderr, so stdout carries the report alone. */
export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The URL with its password hidden, for a report that names the database it ran on. */
export function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  node: string;
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? '?', node: process.version };
}

/** The 1-, 5- and 15-minute load averages: how busy the shared machine was around a run. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

/** The value at quantile q (0…1) of ascending-sorted values (nearest rank); NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function formatInt(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

export function formatNumber(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
}

export function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A figure against its target: measured, so a miss is reported, never a failure. */
export function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISS';
}

/** A correctness check (every page sent once, say): a failure here is a bug, not a slow machine. */
export function check(ok: boolean): string {
  return ok ? 'OK' : 'FAILED';
}

/** "machine: 2 CPUs (model), load average …; node v20…" — `load` is one reading or "before …, after …". */
export function machineLine(machine: MachineFacts, load: string): string {
  return `machine: ${machine.cpus} CPUs (${machine.cpuModel}), load average ${load}; node ${machine.node}`;
}

/** A Markdown table (header row, separator, rows), as the README quotes the figures. */
export function markdownTable(header: string[], rows: string[][]): string[] {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)];
}
