/**
 * A test hook for crash safety: `GATEWAY_TEST_CRASH_AFTER=submarine:paying,reverse:funded` makes
 * the gateway kill itself with SIGKILL right after the named status of a swap is durably written
 * (nothing after the commit runs: no announcement, no next step, no cleanup). The crash-matrix
 * e2e tests restart it without the setting and check that every swap completes or refunds with
 * nothing lost. Never set it in production.
 */
import type { SwapType } from "../domain/swap-types.js";

export const CRASH_AFTER_ENV = "GATEWAY_TEST_CRASH_AFTER";

/**
 * @param spec comma-separated `type:status` points (undefined or empty: no hook)
 * @param kill what "crash" does (tests of the hook itself replace SIGKILL)
 * @returns the engine's onCommitted hook, or undefined
 */
export function crashPointHook(
  spec: string | undefined,
  kill: () => void = () => process.kill(process.pid, "SIGKILL"),
): ((swap: { readonly id: string; readonly type: SwapType }, status: string) => void) | undefined {
  const points = new Set(
    (spec ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== ""),
  );
  if (points.size === 0) return undefined;
  return (swap, status) => {
    if (!points.has(`${swap.type}:${status}`)) return;
    process.stderr.write(`crash point ${swap.type}:${status} reached by swap ${swap.id}: SIGKILL\n`);
    kill();
  };
}

/**
 * The batch side of the same hook: `renewal:<step>` points (e.g. `renewal:forfeits_sent`) kill
 * the gateway at that step of a batch join of its wallet. Steps: registered, confirmed,
 * nonces_sent, signed, forfeits_sent, finalized (arkd's batch_finalized received), joined (the
 * join returned, nothing stored yet), settled (the reservation settled in the database).
 * @returns the wallet's onBatchStep hook, or undefined when no `renewal:` point is given
 */
export function batchCrashHook(
  spec: string | undefined,
  kill: () => void = () => process.kill(process.pid, "SIGKILL"),
): ((step: string) => void) | undefined {
  const steps = new Set(
    (spec ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p.startsWith("renewal:"))
      .map((p) => p.slice("renewal:".length)),
  );
  if (steps.size === 0) return undefined;
  return (step) => {
    if (!steps.has(step)) return;
    process.stderr.write(`crash point renewal:${step} reached: SIGKILL\n`);
    kill();
  };
}
