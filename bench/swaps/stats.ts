/**
 * Pure helpers of the swap benchmark: latency summaries, rates, ratios and the printed table.
 * No I/O here, so test/unit/bench-stats.test.ts can check them.
 */

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/**
 * The q-quantile (0..1) of sorted samples, nearest rank (the smallest sample with at least
 * q·n samples at or below it). @throws RangeError on no samples or q outside 0..1
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of no samples");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside 0..1`);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** p50/p90/p99/max/mean of latency samples in ms. @throws RangeError on no samples */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    count: sorted.length,
    p50Ms: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1]!,
    meanMs: sum / sorted.length,
  };
}

/** Operations per second. @throws RangeError when the elapsed time is not positive */
export function ratePerSecond(count: number, elapsedMs: number): number {
  if (!(elapsedMs > 0)) throw new RangeError("elapsed time must be positive");
  return (count * 1000) / elapsedMs;
}

/** ours / raw, or undefined when raw is zero or missing. */
export function ratio(ours: number | undefined, raw: number | undefined): number | undefined {
  if (ours === undefined || raw === undefined || raw === 0) return undefined;
  return ours / raw;
}

/**
 * The gateway's share of a swap's end-to-end latency: (total − Σ raw steps) / total, at least 0.
 * @throws RangeError when total is not positive
 */
export function overheadShare(totalMs: number, rawStepsMs: readonly number[]): number {
  if (!(totalMs > 0)) throw new RangeError("total latency must be positive");
  const raw = rawStepsMs.reduce((s, x) => s + x, 0);
  return Math.max(0, (totalMs - raw) / totalMs);
}

/** One row of the final table: a figure, what it is compared to, and the target verdict. */
export interface FigureRow {
  readonly name: string;
  /** The measured figure, already formatted (e.g. "63.2/s p50 299 ms"). */
  readonly value: string;
  /** The reference (raw peer figure), formatted, or "". */
  readonly reference: string;
  /** The compared number (ratio, share, rate, MB, s), formatted, or "". */
  readonly compared: string;
  /** e.g. "≥ 0.80"; "" when the row has no target. */
  readonly target: string;
  /** undefined: not judged (no target, or not measured). */
  readonly met: boolean | undefined;
}

/** The table as printed: fixed columns, one line per row. */
export function formatTable(rows: readonly FigureRow[]): string {
  const headers = ["figure", "gateway", "raw peers", "ratio/value", "target", ""] as const;
  const cells = rows.map((r) => [
    r.name,
    r.value,
    r.reference,
    r.compared,
    r.target,
    r.met === undefined ? "" : r.met ? "ok" : "MISSED",
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** "12.3" style number formatting with a fixed number of decimals. */
export const fixed = (x: number | undefined, digits = 1): string =>
  x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits);

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` in flight; collects each
 * task's duration (ms) and failures. @returns wall time, per-task latencies of the successes and errors
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
  onProgress?: (done: number) => void,
): Promise<{ elapsedMs: number; latenciesMs: number[]; errors: unknown[] }> {
  const latenciesMs: number[] = [];
  const errors: unknown[] = [];
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const s = performance.now();
      try {
        await task(i);
        latenciesMs.push(performance.now() - s);
      } catch (err) {
        errors.push(err);
      }
      done += 1;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { elapsedMs: performance.now() - t0, latenciesMs, errors };
}
