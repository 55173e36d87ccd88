/**
 * The swap engine: runs each open swap's state machine against the ports. Work on one swap is
 * serialized by a per-swap lock (invariant 5); every status change is the table's answer to an
 * step's event, written as CAS + event row (invariant 4) and announced to listeners after
 * commit. Streams (invoice events, script activity, payment streams) only trigger a re-run; on
 * start and on a timer every open swap is reconciled from LND, arkd and the database.
 */
import type { Logger } from "../lib/logger.js";
import { errFields } from "../lib/error-fields.js";
import type { Swap, SwapOf } from "../domain/swap-records.js";
import { INITIAL_STATUS, isTerminalStatus, type SwapType } from "../domain/swap-types.js";
import type { LightningPort } from "./ports/lightning.js";
import type { ArkSwapPort, ScriptActivity } from "./ports/ark.js";
import { systemClock, type Clock } from "./ports/clock.js";
import type { ChainSpendPort } from "./ports/chain-spends.js";
import type { StepContext, Step, StepResult } from "./context.js";
import { swapError } from "./errors.js";
import { REVERSE_STEPS } from "./reverse/steps.js";
import { InvoiceWatcher } from "./reverse/invoice-watcher.js";
import { OnchainWatcher, reverseWatchTarget } from "./onchain-watcher.js";
import { reconcileOpenSwaps } from "./reconciler.js";
import { msUntilNextClockDeadline } from "./scheduler.js";
import type { SwapUpdate } from "./ports/swap-service.js";
import type { SwapSettings } from "./settings.js";
import { statusView } from "./status-view.js";
import { applyStepResult } from "./step-runner.js";
import type { SwapStore } from "./ports/swap-store.js";
import { SUBMARINE_STEPS } from "./submarine/steps.js";
import { PaymentTracker } from "./submarine/payment-tracker.js";
import { SwapLocks } from "./swap-lock.js";

export interface EngineDeps {
  readonly ln: LightningPort;
  readonly ark: ArkSwapPort;
  readonly store: SwapStore;
  readonly settings: SwapSettings;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** LND's chain notifier: funded reverse VHTLCs are watched for onchain spends (unrolls). */
  readonly chainSpends?: ChainSpendPort;
  /**
   * Called right after a swap's status is durably written (a new swap's first status when the
   * engine starts tracking it, then every applied transition), before anything else happens.
   * The composition root uses it for the crash-point test hook (GATEWAY_TEST_CRASH_AFTER).
   */
  readonly onCommitted?: (swap: { readonly id: string; readonly type: SwapType }, status: string) => void;
}

/** More steps than any path through a table: a guard against a step that never waits. */
const MAX_STEPS_PER_RUN = 16;
/** Reverse statuses in which hold-invoice events can matter. */
const INVOICE_WATCH = new Set([
  "invoice_created",
  "invoice_held",
  "funding",
  "funded",
  "refunding",
  "refunding_onchain",
  "preimage_learned",
]);
/** Reverse statuses in which an onchain spend of the VHTLC can reveal the preimage. */
const ONCHAIN_WATCH = new Set(["funded", "refunding", "refunding_onchain"]);

export class SwapEngine {
  private readonly locks = new SwapLocks();
  private readonly listeners = new Set<(update: SwapUpdate) => void>();
  private readonly scriptOwners = new Map<string, string>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly payments: PaymentTracker;
  private readonly invoices: InvoiceWatcher;
  private readonly onchain: OnchainWatcher | undefined;
  /** Reverse swaps whose funding step failed (e.g. every coin reserved), oldest first. */
  private readonly coinWaiters = new Set<string>();
  private pendingKicks = 0;
  private state: "new" | "running" | "stopped" = "new";
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<Swap[]> | undefined;

  constructor(private readonly deps: EngineDeps) {
    this.log = deps.logger.child({ subsystem: "swap-engine" });
    this.clock = deps.clock ?? systemClock;
    this.payments = new PaymentTracker(deps.ln, deps.settings.engine, this.log, (id) => this.kick(id));
    this.invoices = new InvoiceWatcher(deps.ln, this.log, (id) => this.kick(id));
    this.onchain =
      deps.chainSpends === undefined
        ? undefined
        : new OnchainWatcher(deps.chainSpends, this.log, (id) => this.kick(id));
  }

  /**
   * Resumes every open swap (through its recovery edge), subscribes to hints and starts the
   * periodic reconciliation.
   * @throws GatewayError when the open swaps cannot be read
   */
  async start(): Promise<void> {
    if (this.state !== "new") return;
    this.state = "running";
    this.deps.ark.onActivity((activity) => this.onActivity(activity));
    this.deps.ark.onCoinsFreed?.((count) => this.onCoinsFreed(count));
    await this.reconcileNow();
    this.scheduleTick();
    this.log.info({}, "swap engine started");
  }

  /** Stops timers and streams, then waits for running work to finish. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopped";
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.payments.stop();
    this.invoices.stop();
    this.onchain?.stop();
    await this.idle();
    this.log.info({}, "swap engine stopped");
  }

  /**
   * Starts watching a newly created swap. Its first step runs only when a watch could not be
   * set up: a new swap waits for something its watches report (the payer's HTLC on the hold
   * invoice's stream, which starts with the invoice's current state; the wallet's VTXO on the
   * script subscription), and its create has just checked what the step would (the invoice is
   * open, nothing can pay an address nobody has seen yet, the tip is the one it was planned on).
   * The reconciler's tick runs every open swap's step anyway (expiry, dropped streams).
   */
  async track(swap: Swap): Promise<void> {
    this.deps.onCommitted?.(swap, swap.status);
    const watched = await this.watch(swap);
    if (!watched || swap.status !== INITIAL_STATUS[swap.type]) this.kick(swap.id);
  }

  /** Re-runs a swap's steps in the background (a hint); ignored once stopped. */
  kick(swapId: string): void {
    if (this.state === "stopped") return;
    this.pendingKicks += 1;
    // A hint is fire-and-forget: a failure (e.g. the database restarting) is logged and the next
    // hint or tick retries; it must never become an unhandled rejection (that ends the process).
    void this.advance(swapId)
      .catch((err: unknown) =>
        this.log.warn({ swapId, ...errFields(err) }, "swap step failed; retrying on the next hint or tick"),
      )
      .finally(() => {
        this.pendingKicks -= 1;
      });
  }

  /**
   * Runs the swap's steps under its lock until it waits for something or is terminal.
   * @returns the swap as it is afterwards (undefined when unknown); step failures are logged, not thrown
   */
  async advance(swapId: string): Promise<Swap | undefined> {
    return this.locks.run(swapId, () => this.runSteps(swapId));
  }

  /**
   * Runs `work` holding the swap's lock (for service operations such as co-signing a refund).
   * @throws GatewayError `swap.engine_stopped`, or what `work` throws
   */
  async withSwapLock<R>(swapId: string, work: () => Promise<R>): Promise<R> {
    if (this.state === "stopped") throw swapError("swap.engine_stopped", "the swap engine is stopped");
    return this.locks.run(swapId, work);
  }

  /**
   * Records an event for a swap read under its lock (CAS on status and version + event row) and
   * announces the change. @returns whether it was applied
   */
  async record<T extends SwapType>(swap: SwapOf[T], stepResult: StepResult<T, string>): Promise<boolean> {
    const result = await applyStepResult(this.deps.store, swap, stepResult, this.swapLog(swap));
    if (result.applied) {
      this.deps.onCommitted?.(swap, result.to);
      this.announce(result.swap);
    }
    return result.applied;
  }

  /** Listens to every committed change; returns the unsubscribe function. */
  onUpdate(listener: (update: SwapUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One reconciliation pass now (overlapping calls share the running pass). */
  async reconcileNow(): Promise<void> {
    this.tick ??= reconcileOpenSwaps({
      store: this.deps.store,
      ln: this.deps.ln,
      clock: this.clock,
      mode: this.deps.settings.timeouts.mode,
      cancelMarginBlocks: this.deps.settings.engine.holdInvoiceCancelMarginBlocks,
      watch: async (swap) => {
        await this.watch(swap);
      },
      isBusy: (id) => this.locks.isBusy(id),
      advance: (id) => this.advance(id),
    }).finally(() => {
      this.tick = undefined;
    });
    await this.tick;
  }

  /** Resolves once no swap work is running or queued (tests and graceful stop). */
  async idle(): Promise<void> {
    while (this.pendingKicks > 0 || this.locks.busyCount > 0 || this.tick !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private scheduleTick(open: readonly Swap[] = []): void {
    const interval = this.deps.settings.engine.reconcileIntervalMs;
    if (this.state !== "running" || interval <= 0) return;
    const margin = this.deps.settings.engine.holdInvoiceCancelMarginBlocks;
    const untilDeadline = msUntilNextClockDeadline(open, this.clock.now(), margin);
    const delay = Math.min(interval, untilDeadline === undefined ? interval : untilDeadline + 10);
    this.timer = setTimeout(() => {
      void this.runTick();
    }, delay);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    let open: Swap[] = [];
    try {
      await this.reconcileNow();
      open = await this.deps.store.listOpen();
    } catch (err) {
      this.log.warn(errFields(err), "reconciliation failed; retrying on the next tick");
    }
    this.scheduleTick(open);
  }

  /** Wallet coins became spendable: as many waiting lockups as coins are tried again, oldest first. */
  private onCoinsFreed(count: number): void {
    for (const swapId of [...this.coinWaiters].slice(0, count)) {
      this.coinWaiters.delete(swapId);
      this.kick(swapId);
    }
  }

  private onActivity(activity: ScriptActivity): void {
    for (const script of activity.scripts) {
      const owner = this.scriptOwners.get(script);
      if (owner !== undefined) this.kick(owner);
    }
  }

  /** Subscribes to the swap's hints. @returns false when a subscription could not be set up */
  private async watch(swap: Swap): Promise<boolean> {
    if (isTerminalStatus(swap.type, swap.status as never)) return true;
    let watched = true;
    if (swap.type === "reverse" && INVOICE_WATCH.has(swap.status))
      watched = this.invoices.ensure(swap.id, swap.paymentHash);
    this.watchOnchain(swap);
    if (this.scriptOwners.has(swap.lockupScript)) return watched;
    this.scriptOwners.set(swap.lockupScript, swap.id);
    try {
      await this.deps.ark.watchScripts([swap.lockupScript]);
    } catch (err) {
      this.scriptOwners.delete(swap.lockupScript);
      this.swapLog(swap).warn(errFields(err), "could not watch the VHTLC script; reconciliation covers it");
      return false;
    }
    return watched;
  }

  private watchOnchain(swap: Swap): void {
    if (swap.type !== "reverse" || !ONCHAIN_WATCH.has(swap.status)) return;
    const target = reverseWatchTarget(swap);
    if (target !== undefined) this.onchain?.watch(target);
  }

  private async unwatch(swap: Swap): Promise<void> {
    this.invoices.drop(swap.id);
    this.onchain?.drop(swap.id);
    if (!this.scriptOwners.delete(swap.lockupScript)) return;
    await this.deps.ark.unwatchScripts([swap.lockupScript]).catch(() => undefined);
  }

  private swapLog(swap: Swap): Logger {
    return this.log.child({ swapId: swap.id, type: swap.type });
  }

  private context(log: Logger): StepContext {
    const { ln, ark, store, settings } = this.deps;
    const onchain =
      this.onchain === undefined || this.deps.chainSpends === undefined
        ? {}
        : { onchain: this.onchain, chain: this.deps.chainSpends };
    return { ln, ark, store, settings, clock: this.clock, log, payments: this.payments, ...onchain };
  }

  private stepOf(swap: Swap): Step<SwapType, string> | undefined {
    const steps = swap.type === "submarine" ? SUBMARINE_STEPS : REVERSE_STEPS;
    return (steps as Readonly<Record<string, Step<SwapType, string> | undefined>>)[swap.status];
  }

  private async runSteps(swapId: string): Promise<Swap | undefined> {
    this.coinWaiters.delete(swapId);
    let swap = await this.deps.store.find(swapId);
    for (let i = 0; i < MAX_STEPS_PER_RUN; i += 1) {
      if (swap === undefined || this.state === "stopped") return swap;
      if (isTerminalStatus(swap.type, swap.status as never)) {
        await this.unwatch(swap);
        return swap;
      }
      const step = this.stepOf(swap);
      const log = this.swapLog(swap).child({ status: swap.status });
      if (step === undefined) return swap;
      try {
        const stepResult = await step(this.context(log), swap);
        if (stepResult === undefined) return swap;
        const result = await applyStepResult(this.deps.store, swap, stepResult, log);
        if (result.applied) {
          this.deps.onCommitted?.(swap, result.to);
          // the swap as the transition wrote it: under this swap's lock nothing else changes
          // it, so the next step starts from it without reading it again
          swap = result.swap;
          this.announce(swap);
        } else if (result.reason === "not_allowed") return swap;
        else swap = await this.deps.store.find(swapId); // stale: moved on meanwhile, read again
      } catch (err) {
        log.warn(errFields(err), "swap step failed; retrying on the next hint or tick");
        // a lockup that found no free coin is tried again as soon as the wallet frees one
        if (swap?.type === "reverse" && swap.status === "funding") this.coinWaiters.add(swapId);
        return swap;
      }
    }
    this.log.error({ swapId }, "swap did not settle within one run");
    return swap;
  }

  /** Announces a swap as just written (watchers follow its new status, then the listeners). */
  private announce(swap: Swap): void {
    if (swap.type === "reverse" && INVOICE_WATCH.has(swap.status))
      this.invoices.ensure(swap.id, swap.paymentHash);
    this.watchOnchain(swap);
    const update: SwapUpdate = { ...statusView(swap), at: this.clock.now() };
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (err) {
        this.log.warn(errFields(err), "swap update listener threw");
      }
    }
  }
}
