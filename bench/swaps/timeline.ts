/**
 * Per-step timelines of the latency phase's swaps: the bench's own marks of the user's actions
 * (wall clock) next to the gateway's structured log of the same swap (pino's `time`, the same
 * machine's clock), as the medians of the gaps between consecutive steps. Pure: the caller reads
 * the log file.
 */
import { summarize } from "./stats.js";

/** Wall-clock marks (ms since the epoch) of one swap, in the order they happened. */
export interface SwapMarks {
  readonly id: string;
  readonly type: "submarine" | "reverse";
  /** The bench's marks, `bench:<what>` → epoch ms. */
  readonly marks: Record<string, number>;
}

/** The gateway's log lines that mark a step: a transition's target status, or a message. */
function gatewayMark(line: { msg?: unknown; to?: unknown }): string | undefined {
  if (line.msg === "swap transition" && typeof line.to === "string") return `gateway:${line.to}`;
  if (line.msg === "paying invoice") return "gateway:pay call";
  if (line.msg === "VHTLC claimed") return "gateway:claim tx done";
  if (line.msg === "VHTLC funded") return "gateway:lockup tx done";
  if (line.msg === "hold invoice settled") return "gateway:settle call done";
  return undefined;
}

/** Adds each swap's gateway marks (first occurrence) from the gateway's JSON log lines. */
export function withGatewayMarks(swaps: readonly SwapMarks[], logLines: readonly string[]): SwapMarks[] {
  const byId = new Map(swaps.map((s) => [s.id, { ...s, marks: { ...s.marks } }]));
  for (const text of logLines) {
    if (!text.startsWith("{") || !text.includes('"swapId"')) continue;
    let line: { swapId?: unknown; time?: unknown; msg?: unknown; to?: unknown };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      continue;
    }
    const swap = typeof line.swapId === "string" ? byId.get(line.swapId) : undefined;
    const name = gatewayMark(line);
    if (swap === undefined || name === undefined || typeof line.time !== "number") continue;
    swap.marks[name] ??= line.time;
  }
  return [...byId.values()];
}

export interface StepGap {
  readonly from: string;
  readonly to: string;
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly count: number;
}

/**
 * The median gap between consecutive marks of one swap type. The steps are ordered by their
 * median offset from each swap's earliest mark (one swap's order can differ from another's when
 * two steps race); a swap missing a mark is left out of that gap, and a gap can be negative when
 * the two steps raced in that swap.
 */
export function stepGaps(swaps: readonly SwapMarks[], type: SwapMarks["type"]): StepGap[] {
  const ofType = swaps.filter((s) => s.type === type);
  const offsets = new Map<string, number[]>();
  for (const s of ofType) {
    const start = Math.min(...Object.values(s.marks));
    for (const [name, at] of Object.entries(s.marks))
      offsets.set(name, [...(offsets.get(name) ?? []), at - start]);
  }
  const order = [...offsets.entries()]
    .map(([name, xs]) => ({ name, at: summarize(xs).p50Ms }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.name);
  const gaps: StepGap[] = [];
  for (let i = 1; i < order.length; i++) {
    const from = order[i - 1]!;
    const to = order[i]!;
    const samples = ofType
      .filter((s) => s.marks[from] !== undefined && s.marks[to] !== undefined)
      .map((s) => s.marks[to]! - s.marks[from]!);
    if (samples.length === 0) continue;
    const sum = summarize(samples);
    gaps.push({ from, to, p50Ms: sum.p50Ms, maxMs: sum.maxMs, count: sum.count });
  }
  return gaps;
}

/** One line per step: `  +p50 ms (max) from → to`. */
export function formatGaps(gaps: readonly StepGap[]): string[] {
  return gaps.map(
    (g) =>
      `  ${g.p50Ms.toFixed(0).padStart(5)} ms (max ${g.maxMs.toFixed(0).padStart(4)})  ${g.from} → ${g.to}`,
  );
}
