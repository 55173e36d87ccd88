/** Progress lines of long liquidity work, on stderr: `[+12.3s 14:02:11] message`. */
import type { CliIo } from "../io.js";

/** @param now ms clock (tests) */
export function progressLine(io: CliIo, now: () => number = Date.now): (message: string) => void {
  const t0 = now();
  return (message) => {
    const t = now();
    io.err(`[+${((t - t0) / 1000).toFixed(1)}s ${new Date(t).toISOString().slice(11, 19)}] ${message}`);
  };
}
