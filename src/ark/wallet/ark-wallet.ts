/**
 * The gateway's Ark wallet: implements the swap engine's ArkSwapPort over the arkd client port,
 * the pure tx core and a WalletStore. Lifecycle: `start()` reads GetInfo, derives the wallet
 * script, settles spends left open by a previous run (GetPendingTx recovery), rescans the wallet
 * VTXOs and attaches the indexer subscription; a maintenance timer repeats rescan + recovery.
 */
import type {
  ArkSpendResult,
  ArkSwapPort,
  FundResult,
  ScriptActivity,
  ScriptVtxo,
  SwapKey,
  SwapVhtlc,
} from "../../swaps/ports/ark.js";
import { listAllVtxos, type ArkServerPort, type ArkdInfo } from "../client/index.js";
import { encodeArkAddress } from "../scripts/index.js";
import { cosignCooperativeRefund } from "./cosign-refund.js";
import { walletError } from "./errors.js";
import { createKeyRing, xOnlyFromHex, type KeyRing } from "./keys.js";
import { SILENT_LOGGER, errFields, type WalletLogger } from "./logger.js";
import { revealedPreimage } from "./revealed-preimage.js";
import { createServerInfoCache, type ServerInfoCache } from "./server-info-cache.js";
import { DEFAULT_MAX_INPUTS, p2trFromHex } from "./spend-builders.js";
import { isUnrolledCoin } from "./coin-selection.js";
import { recoverSpend, type SpendContext } from "./spend-runner.js";
import {
  claim,
  fund,
  refund,
  usableOffchain,
  type FundRequest,
  type SpendServiceEnv,
} from "./spend-service.js";
import { requestCooperativeRefund, type RefundCosigner } from "./request-refund.js";
import { signOnchainVhtlcSpend, type OnchainVhtlcSpendRequest } from "./onchain-vhtlc-spend.js";
import type { SignedOnchainTx } from "../tx/index.js";
import type { WalletStore } from "./store.js";
import { assertOurKey, checkedVhtlc } from "./vhtlc-check.js";
import { DEFAULT_TRACKER_OPTIONS, VtxoTracker, type TrackerOptions } from "./vtxo-tracker.js";
import { buildWalletScript, splitOutpoint, type WalletScript } from "./wallet-script.js";
import { KeyedMutex } from "../../lib/keyed-mutex.js";
import { recoverBatches } from "./batch-recovery.js";
import { redeemNotes, renew, type BatchJoinResult, type BatchServiceEnv } from "./batch-service.js";
import type { BatchReservationStore } from "./batch-store.js";
import type { BoardingScript } from "./boarding-script.js";
import {
  batchOutputVtxo,
  board,
  boardingScriptOf,
  offboard,
  type BoardResult,
  type BoardingUtxo,
  type JoinProgress,
  type OffboardResult,
} from "./liquidity-service.js";
import type { RenewalCoin } from "../renewal/index.js";
import { formatOutpoint } from "../../domain/outpoint.js";

export interface ArkWalletOptions {
  /** GetInfo cache lifetime (ms). */
  readonly serverInfoTtlMs: number;
  /** Period of rescan + recovery of open spends (ms); 0 disables the timer. */
  readonly maintenanceIntervalMs: number;
  /** How long arkd's silence about an unanswered SubmitTx is not yet taken as "never arrived" (ms). */
  readonly releaseGraceMs: number;
  readonly maxInputs: number;
  readonly tracker: TrackerOptions;
  /** A batch attempt not finalized after this long is abandoned (ms). */
  readonly batchTimeoutMs: number;
  /** Batch attempts of one redeemNotes/renew call. */
  readonly batchAttempts: number;
}

export const DEFAULT_WALLET_OPTIONS: ArkWalletOptions = {
  serverInfoTtlMs: 30_000,
  maintenanceIntervalMs: 60_000,
  releaseGraceMs: 60_000,
  maxInputs: DEFAULT_MAX_INPUTS,
  tracker: DEFAULT_TRACKER_OPTIONS,
  batchTimeoutMs: 180_000,
  batchAttempts: 3,
};

/** Swap keys remembered in memory (oldest forgotten first; a forgotten one is read again). */
const KNOWN_SWAP_KEYS = 10_000;

export interface ArkWalletDeps {
  readonly ark: ArkServerPort;
  readonly store: WalletStore;
  /** Reservations of VTXOs being renewed in a batch (renew() needs it). */
  readonly batchStore?: BatchReservationStore;
  /** BIP32 seed (see seed.ts). */
  readonly seed: Uint8Array;
  readonly log?: WalletLogger;
  /** Chain tip height ("blocks") or median time past ("seconds"); refunds wait for it when given. */
  readonly currentLocktime?: (kind: "blocks" | "seconds") => Promise<bigint>;
  readonly options?: Partial<ArkWalletOptions>;
  /** ms clock (tests). */
  readonly now?: () => number;
  /** Test hook: called at each step of a batch join (crash points). */
  readonly onBatchStep?: (step: string) => void;
}

/** Swap keys one allocation writes at most (one statement's arrays). */
const MAX_KEY_BATCH = 256;

export class ArkWallet implements ArkSwapPort {
  private readonly keys: KeyRing;
  private readonly info: ServerInfoCache;
  private readonly log: WalletLogger;
  private readonly opts: ArkWalletOptions;
  private readonly locks = new KeyedMutex();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly ctx: SpendContext;
  private readonly env: SpendServiceEnv;
  private readonly batchEnv: BatchServiceEnv;
  private script: WalletScript | undefined;
  private tracker: VtxoTracker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pendingListener: ((a: ScriptActivity) => void) | undefined;
  private readonly pendingWatch = new Set<string>();
  private readonly coinListeners: ((count: number) => void)[] = [];
  /** Coins a fund picked whose reservation is not durable yet. */
  private readonly selecting = new Set<string>();
  /** Keys handed out, by swap id (a swap's key never changes; its steps ask for it each time). */
  private readonly knownSwapKeys = new Map<string, SwapKey>();
  private readonly keyQueue: {
    readonly swapId: string;
    readonly resolve: (key: { index: bigint; publicKey: string }) => void;
    readonly reject: (err: unknown) => void;
  }[] = [];
  private allocating = false;

  constructor(private readonly deps: ArkWalletDeps) {
    this.keys = createKeyRing(deps.seed);
    this.log = deps.log ?? SILENT_LOGGER;
    this.opts = { ...DEFAULT_WALLET_OPTIONS, ...deps.options };
    this.info = createServerInfoCache(() => deps.ark.getInfo(), this.opts.serverInfoTtlMs, deps.now);
    const now = deps.now ?? Date.now;
    this.ctx = {
      ark: deps.ark,
      store: deps.store,
      log: this.log,
      signerFor: (i) => (i === null ? this.keys.walletKey.signer : this.keys.swapKey(i).signer),
      serverXOnly: async () => xOnlyFromHex((await this.info.get()).signerPubkey),
      walletScriptHex: () => this.walletScript().pkScriptHex,
      now,
      releaseGraceMs: this.opts.releaseGraceMs,
      inDoubtSince: new Map(),
      coinsFreed: (count) => {
        for (const listener of this.coinListeners) listener(count);
      },
    };
    this.env = {
      ctx: this.ctx,
      keys: this.keys,
      serverInfo: () => this.info.get(),
      walletScript: () => this.walletScript(),
      maxInputs: this.opts.maxInputs,
      currentLocktime: deps.currentLocktime,
      singleflight: (key, work) => this.singleflight(key, work),
      withSelectionLock: (work) => this.locks.run("selection", work),
      selecting: this.selecting,
    };
    this.batchEnv = {
      ark: deps.ark,
      store: deps.store,
      batchStore: deps.batchStore,
      keys: this.keys,
      serverInfo: () => this.info.get(),
      walletScript: () => this.walletScript(),
      log: this.log,
      maxInputs: this.opts.maxInputs,
      batchTimeoutMs: this.opts.batchTimeoutMs,
      batchAttempts: this.opts.batchAttempts,
      withSelectionLock: (work) => this.locks.run("selection", work),
      selecting: this.selecting,
      activeBatches: new Set(),
      onBatchStep: deps.onBatchStep,
    };
  }

  /**
   * Starts the wallet: GetInfo, wallet script, recovery of open spends, rescan, subscription.
   * @throws GatewayError `ark.*` when GetInfo or the first rescan fails (recovery failures are logged)
   */
  async start(): Promise<void> {
    if (this.script !== undefined) return;
    const info = await this.info.get();
    this.script = buildWalletScript(this.keys.walletKey.xOnly, info);
    this.tracker = new VtxoTracker(
      this.deps.ark,
      this.deps.store,
      this.log,
      this.script.pkScriptHex,
      this.opts.tracker,
    );
    if (this.pendingListener !== undefined) this.tracker.onActivity(this.pendingListener);
    await this.tracker.watch([...this.pendingWatch]);
    await this.recoverOpenSpends();
    await recoverBatches(this.batchEnv);
    await this.tracker.rescan();
    this.tracker.start();
    if (this.opts.maintenanceIntervalMs > 0) {
      this.timer = setInterval(() => void this.maintain(), this.opts.maintenanceIntervalMs);
      this.timer.unref();
    }
    this.log.info({ script: this.script.pkScriptHex }, "Ark wallet started");
  }

  /** Stops the timer and the subscription (spends in progress keep their records). */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.tracker?.stop();
  }

  /** Resolves once the indexer subscription is attached (after start). */
  async subscribed(): Promise<void> {
    await this.requireTracker().connected();
  }

  /**
   * Settles every open spend (finalize via GetPendingTx, or release). Never throws.
   * @returns how many ended finalized, failed (released) and still open
   */
  async recoverOpenSpends(): Promise<{ finalized: number; failed: number; open: number }> {
    const counts = { finalized: 0, failed: 0, open: 0 };
    let open;
    try {
      open = await this.deps.store.openSpends();
    } catch (err) {
      this.log.error(errFields(err), "listing open spends failed");
      return counts;
    }
    for (const record of open) {
      try {
        await this.singleflight(record.id, () => recoverSpend(this.ctx, record));
        counts.finalized++;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "wallet.spend_failed") counts.failed++;
        else counts.open++;
        this.log.warn({ spendId: record.id, ...errFields(err) }, "open spend not finalized");
      }
    }
    return counts;
  }

  /** The wallet's Ark address, script and key (for operators funding the gateway). */
  async walletInfo(): Promise<{ address: string; script: string; publicKey: string }> {
    const info = await this.info.get();
    const script = this.walletScript();
    return {
      address: encodeArkAddress({
        network: info.network,
        serverKey: xOnlyFromHex(info.signerPubkey),
        vtxoOutputKey: script.tree.outputKey,
      }),
      script: script.pkScriptHex,
      publicKey: this.keys.walletKey.publicKeyHex,
    };
  }

  serverInfo(): Promise<ArkdInfo> {
    return this.info.get();
  }

  async swapKey(swapId: string): Promise<SwapKey> {
    if (typeof swapId !== "string" || swapId === "" || swapId.length > 200)
      throw walletError("wallet.invalid_request", "swapId must be a string of 1..200 chars");
    const known = this.knownSwapKeys.get(swapId);
    if (known !== undefined) return known;
    const key = await new Promise<{ index: bigint; publicKey: string }>((resolve, reject) => {
      this.keyQueue.push({ swapId, resolve, reject });
      this.allocateQueuedKeys();
    });
    const index = Number(key.index);
    if (this.keys.swapKey(index).publicKeyHex !== key.publicKey)
      throw walletError("wallet.key_mismatch", `stored key of swap ${swapId} is not derived from this seed`, {
        swapId,
        index,
      });
    const swapKey = { index, publicKey: key.publicKey };
    if (this.knownSwapKeys.size >= KNOWN_SWAP_KEYS)
      this.knownSwapKeys.delete(this.knownSwapKeys.keys().next().value!);
    this.knownSwapKeys.set(swapId, swapKey);
    return swapKey;
  }

  /**
   * One key allocation at a time in this process (concurrent ones would each hold a pooled
   * connection and race for the same next index), but each takes every swap queued meanwhile:
   * under N concurrent creates one durable write allocates N keys instead of N writes one after
   * the other (the store's `allocateSwapKeys`; without it, one swap after the other).
   */
  private allocateQueuedKeys(): void {
    if (this.allocating) return;
    this.allocating = true;
    void (async () => {
      while (this.keyQueue.length > 0) {
        const batch = this.keyQueue.splice(0, MAX_KEY_BATCH);
        const derive = (i: bigint) => this.keys.swapKey(i).publicKeyHex;
        const ids = [...new Set(batch.map((b) => b.swapId))];
        const store = this.deps.store;
        const settled = new Map<string, { index: bigint; publicKey: string } | { err: unknown }>();
        try {
          if (ids.length > 1 && store.allocateSwapKeys !== undefined) {
            for (const [id, key] of await store.allocateSwapKeys(ids, derive)) settled.set(id, key);
          } else {
            for (const id of ids)
              settled.set(id, await store.swapKey(id, derive).catch((err: unknown) => ({ err })));
          }
        } catch (err) {
          for (const id of ids) settled.set(id, { err });
        }
        for (const b of batch) {
          const r = settled.get(b.swapId);
          if (r === undefined) b.reject(walletError("wallet.invalid_request", `no key for ${b.swapId}`));
          else if ("err" in r) b.reject(r.err);
          else b.resolve(r);
        }
      }
    })().finally(() => {
      this.allocating = false;
      // a swap queued between the loop's last check and here
      if (this.keyQueue.length > 0) this.allocateQueuedKeys();
    });
  }

  async vtxosAt(script: string): Promise<readonly ScriptVtxo[]> {
    const hex = Buffer.from(p2trFromHex(script)).toString("hex");
    const vtxos = await listAllVtxos(this.deps.ark, { scripts: [hex] });
    return vtxos.map((v) => ({
      outpoint: formatOutpoint(v.outpoint),
      amountSats: v.amountSats,
      script: v.script.toLowerCase(),
      expiresAt: v.expiresAt,
      isSpent: v.flags.spent,
      spentByArkTxid: v.arkTxid,
      isSwept: v.flags.swept,
      isUnrolled: v.flags.unrolled,
    }));
  }

  async watchScripts(scripts: readonly string[]): Promise<void> {
    for (const s of scripts) p2trFromHex(s);
    if (this.tracker === undefined) for (const s of scripts) this.pendingWatch.add(s.toLowerCase());
    else await this.tracker.watch(scripts);
  }

  async unwatchScripts(scripts: readonly string[]): Promise<void> {
    for (const s of scripts) this.pendingWatch.delete(s.toLowerCase());
    await this.tracker?.unwatch(scripts);
  }

  onActivity(listener: (activity: ScriptActivity) => void): void {
    this.pendingListener = listener;
    this.tracker?.onActivity(listener);
  }

  onCoinsFreed(listener: (count: number) => void): void {
    this.coinListeners.push(listener);
  }

  /**
   * Pays `amountSats` to `script` from the wallet's VTXOs; idempotent per `idempotencyKey`.
   * @param req.vhtlc optional: the swap's VHTLC, validated against GetInfo and matched to `script`
   * @throws GatewayError `wallet.invalid_request`, `wallet.invalid_vhtlc`, `wallet.idempotency_conflict`,
   *   `wallet.amount_out_of_range`, `wallet.insufficient_funds`, `wallet.too_many_inputs`,
   *   `wallet.reservation_conflict`, `wallet.spend_rejected`, `wallet.spend_in_doubt`,
   *   `wallet.spend_failed`, `wallet.server_signature_invalid`, `wallet.not_started`, `ark.*`
   */
  fund(req: FundRequest): Promise<FundResult> {
    return fund(this.env, req);
  }

  /**
   * Claims VHTLC VTXOs with the preimage (we are the receiver); idempotent per VTXO set, also
   * after the fact: VTXOs our finalized claim spent answer with that claim, VTXOs spent by
   * anyone else are refused (`wallet.vtxo_mismatch`).
   * @throws GatewayError `wallet.invalid_vhtlc`, `wallet.key_mismatch`, `wallet.vtxo_mismatch`,
   *   `wallet.invalid_request`, and the spend errors of {@link fund}
   */
  async claimVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
    readonly preimage: string;
  }): Promise<ArkSpendResult> {
    return { arkTxid: (await claim(this.env, req)).arkTxid };
  }

  /**
   * Signs the onchain spend of an unrolled VHTLC output through a unilateral leaf (see
   * onchain-vhtlc-spend.ts); the caller broadcasts it.
   */
  async signOnchainVhtlcSpend(req: OnchainVhtlcSpendRequest): Promise<SignedOnchainTx> {
    return signOnchainVhtlcSpend(this.keys, await this.info.get(), req);
  }

  /**
   * Takes VHTLC VTXOs back after the refund locktime (we are the sender).
   * @throws GatewayError `wallet.locktime_not_reached` (when a chain clock is configured; arkd
   *   refuses otherwise: `wallet.spend_rejected`), and the errors of {@link claimVhtlc}
   */
  async refundVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
  }): Promise<ArkSpendResult> {
    return { arkTxid: (await refund(this.env, req)).arkTxid };
  }

  /**
   * Validates and co-signs a wallet's cooperative refund (see cosign-refund.ts).
   * @throws GatewayError `wallet.refund_invalid`, `wallet.invalid_vhtlc`, `wallet.key_mismatch`, `ark.*`
   */
  async cosignRefund(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly arkTx: string;
    readonly checkpoint: string;
    readonly excludedOutpoints?: readonly string[];
  }): Promise<{ readonly arkTx: string; readonly checkpoint: string }> {
    const info = await this.info.get();
    const vhtlc = checkedVhtlc(req.vhtlc, info);
    const key = this.keys.swapKey(req.keyIndex);
    assertOurKey(vhtlc, "receiver", key.xOnly);
    return cosignCooperativeRefund({
      indexer: this.deps.ark,
      vhtlc,
      info,
      wallet: this.walletScript(),
      signer: key.signer,
      arkTx: req.arkTx,
      checkpoint: req.checkpoint,
      excludedOutpoints: req.excludedOutpoints ?? [],
    });
  }

  /**
   * Client side of a submarine swap's cooperative refund (we are the VHTLC's sender): refunds one
   * VTXO to this wallet with the receiver's co-signature (see request-refund.ts). Not recorded as
   * a wallet spend: the refunded VTXO arrives through the wallet's subscription like any payment.
   * @throws GatewayError `wallet.invalid_vhtlc`, `wallet.key_mismatch`, `wallet.refund_invalid`, `ark.*`
   */
  async requestCooperativeRefund(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxo: ScriptVtxo;
    readonly cosign: RefundCosigner;
  }): Promise<ArkSpendResult> {
    const info = await this.info.get();
    const vhtlc = checkedVhtlc(req.vhtlc, info);
    const key = this.keys.swapKey(req.keyIndex);
    assertOurKey(vhtlc, "sender", key.xOnly);
    const [txid, vout] = splitOutpoint(req.vtxo.outpoint);
    const arkTxid = await requestCooperativeRefund({
      ark: this.deps.ark,
      info,
      vhtlc,
      vtxo: { txid, vout, amountSats: req.vtxo.amountSats },
      wallet: this.walletScript(),
      signer: key.signer,
      cosign: req.cosign,
    });
    return { arkTxid };
  }

  revealedPreimage(req: {
    readonly vtxo: ScriptVtxo;
    readonly paymentHash: string;
  }): Promise<string | undefined> {
    return revealedPreimage(this.deps.ark, this.log, req.vtxo, req.paymentHash);
  }

  /**
   * Redeems arkd notes (`arknote…`) in the next batch into one new wallet VTXO of Σ notes − the
   * intent fee.
   * @returns the commitment txid, the new VTXO's amount (and outpoint, fee)
   * @throws GatewayError `batch.invalid_note`, `wallet.invalid_request`, `batch.amount_too_small`,
   *   `batch.failed`/`batch.timeout` (retryable), `batch.*`, `wallet.not_started`, `ark.*`
   */
  redeemNotes(notes: readonly string[]): Promise<BatchJoinResult> {
    this.walletScript();
    return redeemNotes(this.batchEnv, notes);
  }

  /**
   * Settles wallet VTXOs (every spendable one up to maxInputs, or `outpoints`) into one new wallet
   * VTXO in the next batch; the old ones stay spendable until the batch is finalized.
   * @throws GatewayError `wallet.insufficient_funds`, `wallet.reservation_conflict`,
   *   `wallet.invalid_request`, and the errors of {@link redeemNotes}
   */
  renew(outpoints?: readonly string[]): Promise<BatchJoinResult> {
    this.walletScript();
    return renew(this.batchEnv, outpoints);
  }

  /** The wallet's onchain boarding address and script (liquidity-service.ts). */
  boardingScript(): Promise<BoardingScript> {
    return boardingScriptOf(this.batchEnv);
  }

  /**
   * Boards confirmed UTXOs of the boarding address into one wallet VTXO (see liquidity-service.ts).
   * @throws GatewayError as {@link board}
   */
  board(
    utxos: readonly BoardingUtxo[],
    onStep?: JoinProgress,
    onSigning?: (commitmentTxid: string) => void | Promise<void>,
  ): Promise<BoardResult> {
    this.walletScript();
    return board(this.batchEnv, utxos, onStep, onSigning);
  }

  /**
   * The wallet VTXO a batch's commitment tx made, if that batch was finalized (liquidity-service.ts).
   * @throws GatewayError `ark.*`, `wallet.not_started`
   */
  batchOutputVtxo(commitmentTxid: string): Promise<{ outpoint: string; amountSats: bigint } | undefined> {
    this.walletScript();
    return batchOutputVtxo(this.batchEnv, commitmentTxid);
  }

  /**
   * Collaborative exit: pays `amountSats` onchain to `address` from wallet VTXOs in a batch.
   * @throws GatewayError as {@link offboard}
   */
  offboard(
    req: { readonly amountSats: bigint; readonly address: string },
    onStep?: JoinProgress,
  ): Promise<OffboardResult> {
    this.walletScript();
    return offboard(this.batchEnv, req, onStep);
  }

  /**
   * The wallet's spendable and swept VTXOs with their deadlines (what the renewal scheduler
   * plans with): `sweepDeadline` in the server's unit, `offchainUntil` arkd's expires_at.
   * @throws GatewayError `wallet.invalid_request` (no batch store), `db.*`
   */
  async renewalCandidates(): Promise<RenewalCoin[]> {
    const coins = (await this.requireBatchStore().batchCandidates()).filter((c) => !isUnrolledCoin(c));
    return coins.map((c) => ({
      outpoint: c.outpoint,
      amountSats: c.amountSats,
      sweepDeadline: c.expiresAt,
      offchainUntil: c.offchainUntil,
      swept: c.swept,
    }));
  }

  /**
   * Recovers the wallet's recoverable VTXOs through a batch: swept ones and those past arkd's
   * expires_at (arkd takes both without a forfeit), up to maxInputs, into one new wallet VTXO.
   * @returns undefined when there is nothing to recover
   * @throws GatewayError the errors of {@link renew}
   */
  async recoverSwept(): Promise<BatchJoinResult | undefined> {
    this.walletScript();
    const nowSeconds = BigInt(Math.floor(this.ctx.now() / 1000));
    const recoverable = (await this.renewalCandidates()).filter(
      (c) => c.swept || (c.offchainUntil !== undefined && c.offchainUntil <= nowSeconds),
    );
    if (recoverable.length === 0) return undefined;
    return renew(
      this.batchEnv,
      recoverable.slice(0, this.opts.maxInputs).map((c) => c.outpoint),
    );
  }

  async balance(): Promise<{ readonly spendableSats: bigint; readonly vtxoCount: number }> {
    const now = this.ctx.now();
    const coins = (await this.deps.store.spendableVtxos()).filter((c) => usableOffchain(c, now));
    return { spendableSats: coins.reduce((s, c) => s + c.amountSats, 0n), vtxoCount: coins.length };
  }

  /** Rescans the wallet script now. @throws GatewayError `ark.*`, `wallet.not_started` */
  rescan(): Promise<void> {
    return this.requireTracker().rescan();
  }

  private async maintain(): Promise<void> {
    try {
      await this.requireTracker().rescan();
    } catch (err) {
      this.log.warn(errFields(err), "periodic wallet rescan failed");
    }
    await this.recoverOpenSpends();
    await recoverBatches(this.batchEnv);
  }

  private walletScript(): WalletScript {
    if (this.script === undefined) throw walletError("wallet.not_started", "the Ark wallet is not started");
    return this.script;
  }

  private requireBatchStore(): BatchReservationStore {
    if (this.deps.batchStore === undefined)
      throw walletError("wallet.invalid_request", "renewing needs a batch reservation store");
    return this.deps.batchStore;
  }

  private requireTracker(): VtxoTracker {
    if (this.tracker === undefined) throw walletError("wallet.not_started", "the Ark wallet is not started");
    return this.tracker;
  }

  private singleflight<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const p = work().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}
