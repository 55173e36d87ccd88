/**
 * How busy the whole machine was over a window (every process: the peers, Postgres, the gateway
 * and this benchmark), from /proc/stat: the figure that says whether a target is bounded by the
 * machine's cores rather than by the gateway. Linux only; elsewhere the sampler reports nothing.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

interface CpuTicks {
  readonly busy: number;
  readonly total: number;
}

/** The `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal ... (ticks). */
export function parseProcStat(text: string): CpuTicks | undefined {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (line === undefined) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** The machine's ticks now, or undefined without /proc/stat. */
export function readMachineTicks(): CpuTicks | undefined {
  try {
    return parseProcStat(readFileSync("/proc/stat", "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Busy cores between two readings: the busy share of all ticks × the number of cores.
 * @returns undefined when no ticks passed or /proc/stat is missing
 */
export function busyCores(
  from: CpuTicks | undefined,
  to: CpuTicks | undefined,
  cores: number,
): number | undefined {
  if (from === undefined || to === undefined || to.total <= from.total) return undefined;
  return ((to.busy - from.busy) / (to.total - from.total)) * cores;
}

/** Starts a window; the returned function ends it with the busy cores over it. */
export function machineCpuWindow(): () => number | undefined {
  const from = readMachineTicks();
  return () => busyCores(from, readMachineTicks(), cpus().length);
}
