/**
 * The renewal scheduler of a running gateway: every `intervalMs` it asks the wallet for its
 * spendable and swept VTXOs, decides with planRenewal which are due (renewal-plan.ts) and
 * settles them into one new wallet VTXO through the wallet's batch client. One tick at a time
 * in this process; across processes and against swap spends, the wallet's durable batch
 * reservations keep a coin in one batch at most. A failed batch is retried at the next tick; a
 * crash mid-batch leaves a reservation that the wallet's recovery settles from the indexer.
 */
import { errFields } from "../../lib/error-fields.js";
import type { LogSink } from "../../lib/logger.js";
import { planRenewal, type DueCoin, type RenewalCoin, type RenewalMargins } from "./renewal-plan.js";

/** The scheduler logs through the one logger type (src/lib/logger.ts). */
export type RenewalLogger = LogSink;

/** What the scheduler needs of the wallet (ArkWallet implements it). */
export interface RenewalWallet {
  /** Spendable and swept wallet VTXOs with their deadlines. */
  renewalCandidates(): Promise<RenewalCoin[]>;
  /** Settles exactly these VTXOs into one new wallet VTXO in the next batch. */
  renew(outpoints: readonly string[]): Promise<{
    readonly commitmentTxid: string;
    readonly amountSats: bigint;
    readonly feeSats: bigint;
    readonly outpoint: string;
  }>;
}

export interface RenewalSchedulerOptions {
  readonly margins: RenewalMargins;
  /** Time between two looks at the wallet (ms). */
  readonly intervalMs: number;
  /** Inputs of one renewal batch. */
  readonly maxInputs: number;
  /** How long stop() waits for a batch in progress before leaving it to recovery (ms). */
  readonly stopGraceMs: number;
}

export interface RenewalSchedulerDeps {
  readonly wallet: RenewalWallet;
  /** The chain tip (block-typed sweep deadlines); omitted: only seconds deadlines are checked. */
  readonly tipHeight?: () => Promise<bigint>;
  readonly log: RenewalLogger;
  readonly options: RenewalSchedulerOptions;
  /** ms clock (tests). */
  readonly now?: () => number;
}

export type TickOutcome =
  | { readonly kind: "idle"; readonly unknown: number }
  | {
      readonly kind: "renewed";
      readonly batches: number;
      readonly inputs: number;
      readonly commitmentTxids: readonly string[];
    }
  | { readonly kind: "failed"; readonly code: string | undefined; readonly renewedBefore: number };

/** Batches one tick may run back to back when more coins are due than one batch takes. */
const MAX_BATCHES_PER_TICK = 8;

export class RenewalScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickOutcome> | undefined;
  private stopped = true;
  /** Set by stop(): a tick in progress runs no further batch. */
  private halted = false;

  constructor(private readonly deps: RenewalSchedulerDeps) {}

  /** Starts ticking (the first tick right away). Idempotent. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    const { margins, intervalMs } = this.deps.options;
    this.deps.log.info(
      {
        intervalMs,
        offchainMarginSeconds: margins.offchainSeconds.toString(),
        sweepMarginBlocks: margins.sweepBlocks.toString(),
        sweepMarginSeconds: margins.sweepSeconds.toString(),
      },
      "VTXO renewal scheduler started",
    );
    this.schedule(0);
  }

  /**
   * Stops ticking; waits up to stopGraceMs for a batch in progress (one still running after that
   * keeps its durable reservation, which the next start's recovery settles).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const running = this.running;
    if (running === undefined) return;
    let grace: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      running.then(() => false),
      new Promise<boolean>((resolve) => {
        grace = setTimeout(() => resolve(true), this.deps.options.stopGraceMs);
      }),
    ]);
    clearTimeout(grace);
    if (timedOut)
      this.deps.log.warn(
        {},
        "stopping with a renewal batch in progress; its reservation is recovered at start",
      );
  }

  /** One look at the wallet now (also what the timer runs); never throws. */
  tick(): Promise<TickOutcome> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.deps.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async runTick(): Promise<TickOutcome> {
    const commitmentTxids: string[] = [];
    let inputs = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
      let due: readonly DueCoin[];
      let deferred: number;
      let unknown: number;
      try {
        ({ batch: due, deferred, unknown } = await this.plan());
      } catch (err) {
        this.deps.log.warn(errFields(err), "renewal check failed; retrying at the next tick");
        return { kind: "failed", code: codeOf(err), renewedBefore: commitmentTxids.length };
      }
      if (due.length === 0) {
        if (commitmentTxids.length > 0) break;
        if (unknown > 0) this.deps.log.debug({ unknown }, "VTXOs without a known deadline yet");
        return { kind: "idle", unknown };
      }
      const inputSats = due.reduce((s, d) => s + d.coin.amountSats, 0n);
      const fields = {
        inputs: due.length,
        inputSats: inputSats.toString(),
        deferred,
        reasons: countReasons(due),
        mostUrgent: {
          outpoint: due[0]?.coin.outpoint,
          reason: due[0]?.reason,
          left: due[0]?.left.toString(),
        },
      };
      this.deps.log.info(fields, "renewing VTXOs before their deadline");
      try {
        const res = await this.deps.wallet.renew(due.map((d) => d.coin.outpoint));
        this.deps.log.info(
          {
            ...fields,
            commitmentTxid: res.commitmentTxid,
            outpoint: res.outpoint,
            amountSats: res.amountSats.toString(),
            feeSats: res.feeSats.toString(),
          },
          "VTXOs renewed",
        );
        commitmentTxids.push(res.commitmentTxid);
        inputs += due.length;
      } catch (err) {
        const code = codeOf(err);
        if (code === "wallet.reservation_conflict")
          this.deps.log.info(
            { ...fields, ...errFields(err) },
            "a VTXO to renew is taken meanwhile; next tick",
          );
        else
          this.deps.log.warn({ ...fields, ...errFields(err) }, "renewal failed; retrying at the next tick");
        return { kind: "failed", code, renewedBefore: commitmentTxids.length };
      }
      if (deferred === 0 || this.halted) break;
    }
    return { kind: "renewed", batches: commitmentTxids.length, inputs, commitmentTxids };
  }

  private async plan() {
    const coins = await this.deps.wallet.renewalCandidates();
    let tipHeight: bigint | undefined;
    if (this.deps.tipHeight !== undefined && coins.some((c) => isHeight(c.sweepDeadline))) {
      try {
        tipHeight = await this.deps.tipHeight();
      } catch (err) {
        this.deps.log.warn(errFields(err), "chain tip unknown; block deadlines not checked this tick");
      }
    }
    const nowSeconds = BigInt(Math.floor((this.deps.now ?? Date.now)() / 1000));
    return planRenewal(
      coins,
      { nowSeconds, tipHeight },
      this.deps.options.margins,
      this.deps.options.maxInputs,
    );
  }
}

function isHeight(deadline: bigint | undefined): boolean {
  return deadline !== undefined && deadline > 0n && deadline < 500_000_000n;
}

function countReasons(due: readonly DueCoin[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of due) counts[d.reason] = (counts[d.reason] ?? 0) + 1;
  return counts;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
