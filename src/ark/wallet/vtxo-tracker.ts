/**
 * Follows the indexer for the wallet's own script and the swap scripts the engine watches:
 * one subscription (SubscribeForScripts + GetSubscription stream) carrying both, re-created with
 * exponential backoff whenever the stream fails; after each reconnect a rescan (GetVtxos by
 * script) and a hint for every watched script make up for events missed meanwhile. Wallet VTXOs
 * go to the store; swap-script activity goes to the listener (hints only: the engine re-reads).
 */
import type { ScriptActivity } from "../../swaps/ports/ark.js";
import {
  listAllVtxos,
  type ArkServerPort,
  type ArkStream,
  type SubscriptionStreamEvent,
  type Vtxo,
} from "../client/index.js";
import { formatOutpoint } from "../../domain/outpoint.js";
import { errFields, type WalletLogger } from "./logger.js";
import type { ObservedVtxo, WalletStore } from "./store.js";

export interface TrackerOptions {
  /** First reconnect delay (ms), doubled per failure up to maxBackoffMs. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Treat the stream as dead after this long without a message (heartbeats count). */
  readonly streamIdleTimeoutMs: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  streamIdleTimeoutMs: 180_000,
};

export class VtxoTracker {
  private readonly watched = new Set<string>();
  private listener: ((a: ScriptActivity) => void) | undefined;
  private subscriptionId: string | undefined;
  private stream: ArkStream<SubscriptionStreamEvent> | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** Scripts waiting for the next SubscribeForScripts (see subscribeBatched). */
  private readonly queuedScripts = new Set<string>();
  private subscribing: Promise<void> | undefined;
  private nextSubscribe: Promise<void> | undefined;
  /** Resolves when a subscription is live (tests and start-up wait on it). */
  private connectedWaiters: (() => void)[] = [];

  constructor(
    private readonly ark: ArkServerPort,
    private readonly store: WalletStore,
    private readonly log: WalletLogger,
    private readonly walletScriptHex: string,
    private readonly opts: TrackerOptions = DEFAULT_TRACKER_OPTIONS,
  ) {}

  /** Starts the subscription loop (returns at once; the loop reconnects by itself). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops the loop and closes the stream. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.stream?.close();
    await this.loop;
  }

  /** Resolves once a subscription stream is attached. */
  connected(): Promise<void> {
    if (this.stream !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  onActivity(listener: (a: ScriptActivity) => void): void {
    this.listener = listener;
  }

  /** Adds scripts (hex `5120…`) to the subscription. @throws GatewayError `ark.*` */
  async watch(scripts: readonly string[]): Promise<void> {
    const fresh = scripts.map((s) => s.toLowerCase()).filter((s) => !this.watched.has(s));
    for (const s of fresh) this.watched.add(s);
    if (fresh.length > 0 && this.subscriptionId !== undefined) await this.subscribeBatched(fresh);
  }

  /**
   * At most one SubscribeForScripts in flight: scripts watched meanwhile wait and go together in
   * the next call (one round trip for many swaps created or resumed at once). Each caller
   * resolves or fails with the call that carried its scripts.
   */
  private subscribeBatched(scripts: readonly string[]): Promise<void> {
    for (const s of scripts) this.queuedScripts.add(s);
    this.nextSubscribe ??= (this.subscribing ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const batch = [...this.queuedScripts];
        this.queuedScripts.clear();
        this.nextSubscribe = undefined;
        const id = this.subscriptionId;
        // no subscription (a reconnect is under way): it subscribes every watched script itself
        if (id === undefined || batch.length === 0) return;
        const call = this.ark.subscribeForScripts(batch, id).then(() => undefined);
        this.subscribing = call;
        try {
          await call;
        } finally {
          if (this.subscribing === call) this.subscribing = undefined;
        }
      });
    return this.nextSubscribe;
  }

  /** Removes scripts from the subscription (never the wallet's own). @throws GatewayError `ark.*` */
  async unwatch(scripts: readonly string[]): Promise<void> {
    const gone = scripts.map((s) => s.toLowerCase()).filter((s) => this.watched.delete(s));
    if (gone.length > 0 && this.subscriptionId !== undefined)
      await this.ark.unsubscribeForScripts(
        this.subscriptionId,
        gone.filter((s) => s !== this.walletScriptHex),
      );
  }

  /** Reads every VTXO of the wallet script from the indexer into the store. @throws GatewayError */
  async rescan(): Promise<void> {
    const vtxos = await listAllVtxos(this.ark, { scripts: [this.walletScriptHex] });
    await this.store.observeVtxos(
      vtxos.filter((v) => v.script.toLowerCase() === this.walletScriptHex).map(observed),
    );
  }

  private async run(): Promise<void> {
    let delay = this.opts.initialBackoffMs;
    let reconnect = false;
    while (!this.abort.signal.aborted) {
      try {
        const id = await this.ark.subscribeForScripts([this.walletScriptHex, ...this.watched]);
        const stream = this.ark.streamSubscription(id, {
          idleTimeoutMs: this.opts.streamIdleTimeoutMs,
          signal: this.abort.signal,
        });
        this.subscriptionId = id;
        this.stream = stream;
        for (const w of this.connectedWaiters.splice(0)) w();
        if (reconnect) await this.catchUp();
        for await (const ev of stream) {
          delay = this.opts.initialBackoffMs;
          await this.handle(ev);
        }
      } catch (err) {
        if (!this.abort.signal.aborted)
          this.log.warn({ ...errFields(err), retryInMs: delay }, "Ark subscription failed; reconnecting");
      }
      this.subscriptionId = undefined;
      this.stream = undefined;
      if (this.abort.signal.aborted) break;
      await sleep(delay, this.abort.signal);
      delay = Math.min(delay * 2, this.opts.maxBackoffMs);
      reconnect = true;
    }
  }

  /** After a reconnect: rescan the wallet, hint every watched script. */
  private async catchUp(): Promise<void> {
    try {
      await this.rescan();
    } catch (err) {
      this.log.warn(errFields(err), "wallet rescan after reconnect failed");
    }
    if (this.watched.size > 0) this.emit({ scripts: [...this.watched], arkTxid: undefined });
  }

  private async handle(ev: SubscriptionStreamEvent): Promise<void> {
    if (ev.type !== "tx") return;
    const all = [...ev.newVtxos, ...ev.spentVtxos, ...ev.sweptVtxos];
    const ours = all.filter((v) => v.script.toLowerCase() === this.walletScriptHex).map(observed);
    if (ours.length > 0) {
      try {
        await this.store.observeVtxos(ours);
      } catch (err) {
        this.log.error(errFields(err), "recording wallet VTXOs failed; the next rescan retries");
      }
    }
    const touched = new Set([...ev.scripts, ...all.map((v) => v.script)].map((s) => s.toLowerCase()));
    const scripts = [...touched].filter((s) => this.watched.has(s));
    if (scripts.length > 0) this.emit({ scripts, arkTxid: ev.txid });
  }

  private emit(activity: ScriptActivity): void {
    try {
      this.listener?.(activity);
    } catch (err) {
      this.log.error(errFields(err), "activity listener threw");
    }
  }
}

/** arkd's raw expires_at (unix seconds): kept aside by withBatchDeadlines, else still in expiresAt. */
function offchainUntil(v: Vtxo): bigint | undefined {
  const raw = v.arkdExpiresAt ?? v.expiresAt;
  return raw >= 500_000_000n ? raw : undefined;
}

function observed(v: Vtxo): ObservedVtxo {
  return {
    outpoint: formatOutpoint(v.outpoint),
    amountSats: v.amountSats,
    script: v.script.toLowerCase(),
    spent: v.flags.spent,
    swept: v.flags.swept,
    spentBy: v.arkTxid,
    expiresAt: v.expiresAt > 0n ? v.expiresAt : undefined,
    // an unrolled VTXO is onchain: arkd never takes it offchain again
    offchainUntil: v.flags.unrolled ? 0n : offchainUntil(v),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
