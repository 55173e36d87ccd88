/**
 * What a step (the engine's unit of work: one state's action) runs against: ports, the store, a clock, the
 * settings and a per-swap logger. A step reads the world, performs at most the external action
 * its (already durable) state calls for, and reports an event; it never writes a status itself.
 */
import type { Logger } from "../lib/logger.js";
import type { ChainTip } from "../domain/timeout-settings.js";
import type { PatchOf, SwapOf } from "../domain/swap-records.js";
import type { SwapType } from "../domain/swap-types.js";
import type { LightningPort } from "./ports/lightning.js";
import type { ArkSwapPort } from "./ports/ark.js";
import { unixSeconds, type Clock } from "./ports/clock.js";
import type { OnchainSpends } from "./onchain-watcher.js";
import type { ChainSpendPort } from "./ports/chain-spends.js";
import type { SwapSettings } from "./settings.js";
import type { SwapStore } from "./ports/swap-store.js";

/** Starts and follows submarine payments outside the swap lock; completion is only a hint. */
export interface PaymentStarter {
  /** Starts paying `swap`'s invoice unless a payment of it is already being followed. */
  start(swap: SwapOf["submarine"]): void;
  /** Whether this process is following a payment of `swapId`. */
  isFollowing(swapId: string): boolean;
  /** The code of an error LND answered with before starting the payment (never in flight), if any. */
  neverStarted(swapId: string): string | undefined;
}

export interface StepContext {
  readonly ln: LightningPort;
  readonly ark: ArkSwapPort;
  readonly store: SwapStore;
  readonly clock: Clock;
  readonly settings: SwapSettings;
  readonly log: Logger;
  readonly payments: PaymentStarter;
  /** Unrolled VHTLCs and their confirmed onchain spends (absent when no chain watcher is wired). */
  readonly onchain?: OnchainSpends;
  /** The chain port for the gateway's own onchain spends (absent when none is wired). */
  readonly chain?: ChainSpendPort;
}

/** What a step reports: the event (the table decides the target) and what to write with it. */
export interface StepResult<T extends SwapType, E extends string> {
  readonly event: E;
  readonly patch?: PatchOf[T];
  /** Event details for the event row: never secrets. */
  readonly data?: Record<string, unknown>;
}

/** One state's step; undefined = nothing to do now (wait for a hint or the next tick). */
export type Step<T extends SwapType, E extends string> = (
  ctx: StepContext,
  swap: SwapOf[T],
) => Promise<StepResult<T, E> | undefined>;

/** The chain tip: LND's height, and the clock as the time (seconds-mode deadlines). */
export async function chainTip(ctx: Pick<StepContext, "ln" | "clock">): Promise<ChainTip> {
  return { height: BigInt(await ctx.ln.getHeight()), timeSeconds: unixSeconds(ctx.clock) };
}
