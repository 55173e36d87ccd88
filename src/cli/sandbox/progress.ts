/** The sandbox's narration: every step with the elapsed time, the wall clock and amounts. */
import { formatSats } from "../format.js";

export type Say = (line: string) => void;

export interface Progress {
  /** A step heading: `[+3.2s 21:53:21] ── gateway`. */
  step(title: string): void;
  /** A line inside the current step. */
  info(line: string): void;
}

/** @param out where lines go; @param now ms clock (tests) */
export function createProgress(out: Say, now: () => number = Date.now): Progress {
  const t0 = now();
  const stamp = () => {
    const t = now();
    return `[+${((t - t0) / 1000).toFixed(1)}s ${new Date(t).toISOString().slice(11, 19)}]`;
  };
  return {
    step: (title) => out(`${stamp()} == ${title}`),
    info: (line) => out(`${stamp()}    ${line}`),
  };
}

/** `12,345 sat`. */
export function sat(amount: bigint | number): string {
  return `${formatSats(amount)} sat`;
}
