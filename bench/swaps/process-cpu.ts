/**
 * CPU time by process over a window: the gateway, this benchmark (the load), each peer of the
 * regtest network (from its run directory's pid files) and Postgres with its backends. Divided
 * by the operations of the window it says where a create or a swap costs CPU on the shared
 * cores, e.g. how much of LND's time a gateway create takes against a raw hold invoice: the
 * figure that shows what bounds a rate once the machine is busy. Linux only (/proc); elsewhere
 * the window reports nothing.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { runningPid } from "../../src/regtest/process.js";
import { readMachineTicks } from "./machine-cpu.js";

/** The two fields of /proc/<pid>/stat used here. */
export interface PidStat {
  readonly ppid: number;
  /** utime + stime, clock ticks. */
  readonly ticks: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold spaces or
 * parentheses, so fields are counted after its last ")": state, ppid (4), ..., utime (14),
 * stime (15).
 */
export function parsePidStat(text: string): PidStat | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3]
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![ppid, utime, stime].every(Number.isFinite)) return undefined;
  return { ppid, ticks: utime + stime };
}

/** Ticks per group: each pid's ticks summed under its group (pids of no group are left out). */
export function ticksByGroup(
  stats: ReadonlyMap<number, PidStat>,
  groupOf: (pid: number, stat: PidStat) => string | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [pid, stat] of stats) {
    const group = groupOf(pid, stat);
    if (group !== undefined) out.set(group, (out.get(group) ?? 0) + stat.ticks);
  }
  return out;
}

/**
 * CPU ms per group between two readings. A process that started in the window counts from 0; one
 * that ended in it is lost (the peers and the pools' Postgres backends live through a window).
 */
export function msBetween(
  from: ReadonlyMap<string, number>,
  to: ReadonlyMap<string, number>,
  ticksPerSecond: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, ticks] of to) {
    out[group] = (Math.max(0, ticks - (from.get(group) ?? 0)) * 1000) / ticksPerSecond;
  }
  return out;
}

function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

function readAllPidStats(): Map<number, PidStat> {
  const out = new Map<number, PidStat>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parsePidStat(readFileSync(`/proc/${name}/stat`, "utf8"));
      if (stat !== undefined) out.set(Number(name), stat);
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

/** role → pid of the network's live processes, by its run directory's `<role>.pid` files. */
function readRunDirPids(runDir: string): Map<number, string> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.endsWith(".pid")) continue;
    const role = name.slice(0, -".pid".length);
    const pid = runningPid(runDir, role);
    if (pid !== undefined) out.set(pid, role);
  }
  return out;
}

export interface ProcessCpuSources {
  /** The regtest network's run directory (its pid files name the peers). */
  readonly runDir: string;
  /** The gateway's pid, read at each window's start (it changes across restarts). */
  readonly gatewayPid: () => number | undefined;
}

/**
 * The machine's busy CPU time not in any group ("others": other processes and the kernel's own
 * work), ms; undefined without both machine readings.
 */
export function othersMs(machineMs: number | undefined, groups: Record<string, number>): number | undefined {
  if (machineMs === undefined) return undefined;
  const known = Object.values(groups).reduce((a, b) => a + b, 0);
  return Math.max(0, machineMs - known);
}

/**
 * Starts a window over the gateway, this process ("bench"), the network's peers and Postgres
 * (its postmaster and every child of it); the returned function ends it with CPU ms per group,
 * plus "others": the rest of the machine's busy time (/proc/stat). Without /proc the record is
 * empty.
 */
export function processCpuWindow(sources: ProcessCpuSources): () => Record<string, number> {
  const ticksPerSecond = clockTicksPerSecond();
  const roles = readRunDirPids(sources.runDir);
  const gatewayPid = sources.gatewayPid();
  const postmaster = [...roles].find(([, role]) => role === "postgres")?.[0];
  const groupOf = (pid: number, stat: PidStat): string | undefined => {
    if (pid === gatewayPid) return "gateway";
    if (pid === process.pid) return "bench";
    if (postmaster !== undefined && stat.ppid === postmaster) return "postgres";
    return roles.get(pid);
  };
  const machineFrom = readMachineTicks()?.busy;
  const from = ticksByGroup(readAllPidStats(), groupOf);
  return () => {
    const groups = msBetween(from, ticksByGroup(readAllPidStats(), groupOf), ticksPerSecond);
    const machineTo = readMachineTicks()?.busy;
    const others = othersMs(
      machineFrom === undefined || machineTo === undefined
        ? undefined
        : ((machineTo - machineFrom) * 1000) / ticksPerSecond,
      groups,
    );
    return others === undefined ? groups : { ...groups, others };
  };
}

/** CPU ms per operation of each group. */
export function perOpRecord(ms: Record<string, number>, ops: number): Record<string, number> {
  return Object.fromEntries(Object.entries(ms).map(([group, total]) => [group, total / ops]));
}

/** The groups largest first, those under 0.05 ms left out, as "gateway 3.7, lnd-alice 4.1 ms". */
export function describeByProcess(perOp: Record<string, number> | undefined): string {
  if (perOp === undefined) return "";
  const shown = Object.entries(perOp)
    .filter(([, each]) => each >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([group, each]) => `${group} ${each.toFixed(1)}`);
  return shown.length === 0 ? "" : `${shown.join(", ")} ms`;
}
