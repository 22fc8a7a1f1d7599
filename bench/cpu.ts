import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent during an import, read from /proc (Linux): the server's main thread, its other threads (V8's
 * garbage-collection helpers, the cleaning and checkpoint threads), and the database server when it runs on this
 * machine. On 2 cores, CPU time over wall time says how close the import is to using both.
 */
export interface CpuTimes {
  mainMs: number;
  otherThreadsMs: number;
  /** The database server's process; undefined for SQLite (it runs in the server's threads) or a remote server. */
  databaseMs?: number;
  /** Every process of the machine, the bench's own included (the busy time of /proc/stat). */
  machineMs?: number;
}

/** Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s on every architecture Node runs on. */
const MS_PER_TICK = 10;

/** utime + stime of a /proc `stat` line, in ms (fields 14 and 15, counted after the command name's parenthesis). */
function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

function readCpuMs(path: string): number | undefined {
  try {
    return statCpuMs(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // gone, or not Linux
  }
}

/** Busy CPU ms of the whole machine: every core's time but idle and iowait (the first line of /proc/stat). */
function machineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** CPU ms of each thread of a process, by thread id. */
function threadCpu(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const ms = readCpuMs(`/proc/${pid}/task/${tid}/stat`);
    if (ms !== undefined) threads.set(tid, ms);
  }
  return threads;
}

/** What `CpuMeter.stop` subtracts from: the threads' times when the import started. */
export class CpuMeter {
  private readonly threads: Map<string, number>;
  private readonly database?: number;
  private readonly machine = machineBusyMs();

  constructor(
    private readonly serverPid: number,
    private readonly databasePid?: number,
  ) {
    this.threads = threadCpu(serverPid);
    this.database = databasePid === undefined ? undefined : readCpuMs(`/proc/${databasePid}/stat`);
  }

  /** CPU spent since the meter started; undefined when /proc could not be read. A thread started since counts whole. */
  stop(): CpuTimes | undefined {
    const now = threadCpu(this.serverPid);
    if (this.threads.size === 0 || now.size === 0) return undefined;
    let mainMs = 0;
    let otherThreadsMs = 0;
    for (const [tid, ms] of now) {
      const spent = ms - (this.threads.get(tid) ?? 0);
      if (tid === String(this.serverPid)) mainMs += spent;
      else otherThreadsMs += spent;
    }
    const database = this.databasePid === undefined ? undefined : readCpuMs(`/proc/${this.databasePid}/stat`);
    const databaseMs = database === undefined || this.database === undefined ? undefined : database - this.database;
    const machine = machineBusyMs();
    const machineMs = machine === undefined || this.machine === undefined ? undefined : machine - this.machine;
    return { mainMs, otherThreadsMs, databaseMs, machineMs };
  }
}

/** The pid of a database server running on this machine, from its pid file; undefined if it cannot be read. */
export function localServerPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 && readCpuMs(`/proc/${pid}/stat`) !== undefined ? pid : undefined;
  } catch {
    return undefined;
  }
}
