import fs from 'node:fs';
import os from 'node:os';

/** Linux clock ticks per second (USER_HZ), as /proc reports times in them. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** CPU seconds (user + system) of the server process. */
  server: number;
  /** CPU seconds of each PostgreSQL process serving the bench, by pid. */
  postgres: Map<number, number>;
  /** CPU seconds of this process (the load generator / baseline client). */
  bench: number;
  /** Busy and total CPU seconds of the whole machine, all cores. */
  machineBusy: number;
  machineTotal: number;
}

export interface CpuUsage {
  /** In cores (1.0 = one core fully busy) over the interval. */
  server: number;
  bench: number;
  /** PostgreSQL processes serving the bench (see PostgresProcesses). */
  postgres: number;
  /** Everything else that was busy: other PostgreSQL processes (WAL writer…), other programs on the machine. */
  rest: number;
  cores: number;
}

function processSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

function machineSeconds(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const idleAll = idle + iowait;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: (total - idleAll) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/**
 * Which PostgreSQL processes count as the bench's: the backends connected to the bench database
 * (their title names it), or every child of the embedded cluster's postmaster.
 */
export type PostgresProcesses = { database: string } | { postmasterPid: number };

function postgresPids(which: PostgresProcesses): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ('database' in which) {
        const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (title.startsWith('postgres: ') && title.includes(` ${which.database} `)) pids.push(Number(entry));
      } else {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === which.postmasterPid || Number(entry) === which.postmasterPid) pids.push(Number(entry));
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}

export function cpuSnapshot(serverPid: number, postgres: PostgresProcesses): CpuSnapshot {
  const usage = process.cpuUsage();
  const machine = machineSeconds();
  return {
    at: performance.now(),
    server: processSeconds(serverPid),
    postgres: new Map(postgresPids(postgres).map((pid) => [pid, processSeconds(pid)] as const).filter(([, seconds]) => Number.isFinite(seconds))),
    bench: (usage.user + usage.system) / 1e6,
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const wall = (after.at - before.at) / 1000;
  const server = (after.server - before.server) / wall;
  const bench = (after.bench - before.bench) / wall;
  // Processes that started during the interval count whole; those that ended are missed.
  let postgresSeconds = 0;
  for (const [pid, seconds] of after.postgres) postgresSeconds += Math.max(0, seconds - (before.postgres.get(pid) ?? 0));
  const postgres = postgresSeconds / wall;
  const cores = os.cpus().length;
  const busy = ((after.machineBusy - before.machineBusy) / (after.machineTotal - before.machineTotal)) * cores;
  return { server, bench, postgres, rest: busy - server - bench - postgres, cores };
}
