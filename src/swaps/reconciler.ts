/**
 * Reconciliation (invariant 5): streams are hints, so on start and on every tick the engine
 * re-derives each open swap from LND, arkd and the database by running its state's step (the
 * table's recovery edge). Swaps with a reached deadline go first; swaps already being worked on
 * are skipped (their running work re-reads everything anyway).
 */
import type { Swap } from "../domain/swap-records.js";
import type { LocktimeMode } from "../domain/timeout-settings.js";
import type { LightningPort } from "./ports/lightning.js";
import type { Clock } from "./ports/clock.js";
import { dueSwaps } from "./scheduler.js";
import type { SwapStore } from "./ports/swap-store.js";

/**
 * Swaps one pass advances side by side: enough to overlap their LND/arkd/Postgres round trips,
 * below the database pool (10 connections by default) so API requests still get connections.
 */
export const RECONCILE_CONCURRENCY = 6;

export interface ReconcileDeps {
  readonly store: SwapStore;
  readonly ln: LightningPort;
  readonly clock: Clock;
  readonly mode: LocktimeMode;
  readonly cancelMarginBlocks: bigint;
  /** Subscribes to what can hint at progress of this swap (idempotent). */
  readonly watch: (swap: Swap) => Promise<void>;
  readonly isBusy: (swapId: string) => boolean;
  /** Runs the swap's steps under its lock until it waits. */
  readonly advance: (swapId: string) => Promise<unknown>;
  /** Swaps advanced side by side (default RECONCILE_CONCURRENCY). */
  readonly concurrency?: number;
}

/**
 * One reconciliation pass over every open swap.
 * @returns the open swaps as read at the start of the pass (for scheduling the next wake-up)
 * @throws GatewayError when the open swaps cannot be listed (per-swap failures are contained by `advance`)
 */
export async function reconcileOpenSwaps(deps: ReconcileDeps): Promise<Swap[]> {
  const open = await deps.store.listOpen();
  // side by side: the wallet's tracker sends the scripts of concurrent watches in one call
  await Promise.all(open.map((swap) => deps.watch(swap)));
  let height: bigint;
  try {
    height = BigInt(await deps.ln.getHeight());
  } catch {
    height = 0n; // without a height only clock deadlines are ordered first; every swap still runs
  }
  const due = dueSwaps(open, { date: deps.clock.now(), height, mode: deps.mode }, deps.cancelMarginBlocks);
  const dueIds = new Set(due.map((s) => s.id));
  const ordered = [...due, ...open.filter((s) => !dueIds.has(s.id))];
  // A few swaps side by side (each still under its own lock), taken in order: due ones start
  // first. One at a time, resuming N open swaps cost N times a step's round trips.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < ordered.length; i = next++) {
      const swap = ordered[i]!;
      if (!deps.isBusy(swap.id)) await deps.advance(swap.id);
    }
  };
  const width = Math.max(1, Math.min(deps.concurrency ?? RECONCILE_CONCURRENCY, ordered.length));
  await Promise.all(Array.from({ length: width }, worker));
  return open;
}
