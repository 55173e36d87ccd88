/**
 * Applies what a step reported: the table gives the target status, the store writes it as a
 * compare-and-set on the status AND the version the step read (invariant 4), so a result
 * computed from a stale read changes nothing.
 */
import type { Logger } from "../lib/logger.js";
import type { SwapOf } from "../domain/swap-records.js";
import type { StatusOf, SwapType } from "../domain/swap-types.js";
import type { StepResult } from "./context.js";
import { REVERSE_TABLE } from "./reverse/transitions.js";
import type { SwapStore } from "./ports/swap-store.js";
import { SUBMARINE_TABLE } from "./submarine/transitions.js";
import { nextStatus, type TransitionTable } from "./table.js";

const TABLES: { readonly [T in SwapType]: TransitionTable<T, string> } = {
  submarine: SUBMARINE_TABLE as TransitionTable<"submarine", string>,
  reverse: REVERSE_TABLE as TransitionTable<"reverse", string>,
};

/** The transition table of a swap type. */
export function tableOf<T extends SwapType>(type: T): TransitionTable<T, string> {
  return TABLES[type] as TransitionTable<T, string>;
}

export type ApplyResult<T extends SwapType = SwapType> =
  | { readonly applied: true; readonly to: string; /** the swap as written */ readonly swap: SwapOf[T] }
  | { readonly applied: false; readonly reason: "not_allowed" | "stale" };

/**
 * Writes `result` for `swap` as read: CAS on (status, version) + event row.
 * @returns whether it was applied; "not_allowed" when the table has no such edge (a bug or a
 *   misplaced event: nothing is written), "stale" when the swap moved on meanwhile
 */
export async function applyStepResult<T extends SwapType>(
  store: SwapStore,
  swap: SwapOf[T],
  result: StepResult<T, string>,
  log: Logger,
): Promise<ApplyResult<T>> {
  const type = swap.type as T;
  const from = swap.status as StatusOf[T];
  const to = nextStatus(tableOf(type), from, result.event);
  if (to === undefined) {
    log.error({ from, event: result.event }, "event not allowed from this status; ignored");
    return { applied: false, reason: "not_allowed" };
  }
  const after = await store.transition<T>({
    id: swap.id,
    type,
    from,
    to,
    event: result.event,
    expectedVersion: swap.version,
    ...(result.data === undefined ? {} : { data: result.data }),
    ...(result.patch === undefined ? {} : { patch: result.patch }),
  });
  if (after === undefined) {
    log.info({ from, event: result.event }, "stale transition ignored");
    return { applied: false, reason: "stale" };
  }
  log.info({ from, to, event: result.event }, "swap transition");
  return { applied: true, to, swap: after };
}
