/**
 * An in-memory Ark side for the engine's tests: VTXOs per script (amount, batch expiry = tip +
 * 144 blocks as on our regtest arkd, spent/by which ark tx, the preimage a claim revealed), the
 * gateway's spendable balance and the wallets' balances, so a test can account for every sat.
 * Spends follow arkd's rules: a claim needs the preimage of the VHTLC's hash, a lone refund needs
 * refundLocktime, a cooperative wallet refund needs the gateway's co-signature.
 */
import { GatewayError } from "../../src/domain/errors.js";
import type { ArkServerInfo } from "../../src/ark/server-info.js";
import type {
  ArkSpendResult,
  ArkSwapPort,
  FundResult,
  ScriptActivity,
  ScriptVtxo,
  SwapKey,
  SwapVhtlc,
} from "../../src/swaps/ports/ark.js";
import { buildCheckedVhtlc } from "../../src/swaps/vhtlc.js";
import type { FakeChain } from "./fake-chain.js";
import { hash160OfPreimage, pubkeyFor, randomTxid, sha256Hex } from "./keys.js";

export const BATCH_EXPIRY_BLOCKS = 144;

const arkError = (code: string, message: string, retryable = false) =>
  new GatewayError(code, message, { spec: { httpStatus: retryable ? 503 : 400, retryable } });

interface FakeVtxo {
  outpoint: string;
  amountSats: bigint;
  script: string;
  expiresAt: bigint;
  isSpent: boolean;
  spentByArkTxid: string | undefined;
  revealed: string | undefined;
  isSwept: boolean;
  isUnrolled: boolean;
}

export class FakeArk implements ArkSwapPort {
  /** The gateway's spendable sats. */
  gatewaySats = 10_000_000n;
  /** Each wallet's sats (negative = it spent more than it got). */
  readonly wallets = new Map<string, bigint>();
  readonly fundCalls: {
    script: string;
    amountSats: bigint;
    idempotencyKey: string;
    minBatchExpiry?: bigint;
  }[] = [];
  readonly claims: { script: string; preimage: string }[] = [];
  readonly refunds: string[] = [];
  readonly cosigned: string[] = [];
  readonly watched = new Set<string>();
  /** Test switch: revealedPreimage answers a preimage that does not hash to the payment hash. */
  revealWrongPreimage = false;
  /** Test switch: a spend's preimage is not readable yet (GetVirtualTxs lagging, a claim in a batch). */
  hideRevealedPreimage = false;
  /** Test switch: every fund call finds no free coin (retryable `wallet.insufficient_funds`). */
  coinsTaken = false;
  /** Test switch: the next fund call spends, then loses its answer (as if the process died). */
  crashAfterNextFund = false;
  private readonly vtxos = new Map<string, FakeVtxo>();
  private readonly funded = new Map<string, FundResult>();
  private readonly ourRefunds = new Map<string, string>();
  private readonly ourClaims = new Map<string, string>();
  private readonly keyIndexes = new Map<string, number>();
  private listener: ((a: ScriptActivity) => void) | undefined;
  private coinListener: ((count: number) => void) | undefined;
  private readonly faults = new Map<string, GatewayError[]>();
  readonly info: ArkServerInfo = {
    signerPubkey: pubkeyFor("arkd-signer"),
    forfeitPubkey: pubkeyFor("arkd-forfeit"),
    forfeitAddress: "bcrt1qforfeit",
    checkpointTapscript: "",
    network: "regtest",
    sessionDurationSeconds: 10n,
    unilateralExitDelay: 10n,
    boardingExitDelay: 20n,
    utxoMinAmountSats: -1n,
    utxoMaxAmountSats: -1n,
    vtxoMinAmountSats: -1n,
    vtxoMaxAmountSats: -1n,
    dustSats: 330n,
    digest: "fake",
    version: "fake",
    maxTxWeight: 40_000n,
    maxOpReturnOutputs: 3n,
  };

  constructor(private readonly chain: FakeChain) {}

  // ---- test controls (the wallets' side) ----

  /** A wallet sends `amountSats` to a script (e.g. funds a submarine VHTLC). */
  walletSend(wallet: string, script: string, amountSats: bigint): string {
    this.credit(wallet, -amountSats);
    return this.create(script, amountSats);
  }

  /** A wallet claims a reverse VHTLC with the preimage (arkd checks it against the VHTLC's hash). */
  walletClaim(wallet: string, script: string, preimage: string, paymentHash: string): void {
    if (sha256Hex(preimage) !== paymentHash) throw new Error("arkd refuses: wrong preimage");
    const live = this.live(script);
    if (live.length === 0) throw new Error("nothing to claim");
    const txid = randomTxid();
    for (const v of live) this.spend(v, txid, preimage);
    this.credit(
      wallet,
      live.reduce((s, v) => s + v.amountSats, 0n),
    );
    this.emit([script], txid);
  }

  /** A wallet broadcasts its cooperative refund: arkd needs the gateway's co-signature. */
  walletRefund(wallet: string, script: string): void {
    if (!this.cosigned.includes(script))
      throw new Error("arkd refuses: refund not co-signed by the receiver");
    const live = this.live(script);
    const txid = randomTxid();
    for (const v of live) this.spend(v, txid, undefined);
    this.credit(
      wallet,
      live.reduce((s, v) => s + v.amountSats, 0n),
    );
    this.emit([script], txid);
  }

  /**
   * A submarine wallet takes its VHTLC back alone (refundWithoutReceiver: sender + server), which
   * arkd allows once the chain reaches `refundLocktime` (blocks).
   */
  walletRefundWithoutReceiver(wallet: string, script: string, refundLocktime: bigint): string {
    if (BigInt(this.chain.height) < refundLocktime) throw new Error("arkd refuses: locktime not reached");
    const live = this.live(script);
    if (live.length === 0) throw new Error("nothing to refund");
    const txid = randomTxid();
    for (const v of live) this.spend(v, txid, undefined);
    this.credit(
      wallet,
      live.reduce((s, v) => s + v.amountSats, 0n),
    );
    this.emit([script], txid);
    return txid;
  }

  /** A wallet unrolls a VTXO onchain (unilateral exit): arkd flags it unrolled; no offchain spend of it. */
  unroll(outpoint: string): void {
    this.vtxo(outpoint).isUnrolled = true;
  }

  /** arkd sweeps a VTXO's batch output: flagged swept; no offchain spend of it. */
  sweep(outpoint: string): void {
    this.vtxo(outpoint).isSwept = true;
  }

  walletBalance(wallet: string): bigint {
    return this.wallets.get(wallet) ?? 0n;
  }

  /** Sats still locked at a script. */
  lockedAt(script: string): bigint {
    return this.live(script).reduce((s, v) => s + v.amountSats, 0n);
  }

  failNext(method: keyof ArkSwapPort, error = arkError("ark.unavailable", "arkd unreachable", true)): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), error]);
  }

  /** Drops the faults still queued for `method`. */
  clearFaults(method: keyof ArkSwapPort): void {
    this.faults.delete(method);
  }

  /** As if the gateway process died: its activity listener is gone. */
  sever(): void {
    this.listener = undefined;
    this.coinListener = undefined;
  }

  /** The wallet frees `count` coins (a spend's change, a released reservation): tells the listener. */
  freeCoins(count: number): void {
    queueMicrotask(() => this.coinListener?.(count));
  }

  // ---- ArkSwapPort ----

  serverInfo(): Promise<ArkServerInfo> {
    return this.call("serverInfo", () => this.info);
  }

  swapKey(swapId: string): Promise<SwapKey> {
    return this.call("swapKey", () => {
      const index = this.keyIndexes.get(swapId) ?? this.keyIndexes.size;
      this.keyIndexes.set(swapId, index);
      return { index, publicKey: pubkeyFor(`gateway-swap-${index}`) };
    });
  }

  vtxosAt(script: string): Promise<readonly ScriptVtxo[]> {
    return this.call("vtxosAt", () =>
      [...this.vtxos.values()]
        .filter((v) => v.script === script)
        .map((v) => ({
          outpoint: v.outpoint,
          amountSats: v.amountSats,
          script: v.script,
          expiresAt: v.expiresAt,
          isSpent: v.isSpent,
          spentByArkTxid: v.spentByArkTxid,
          isSwept: v.isSwept,
          isUnrolled: v.isUnrolled,
        })),
    );
  }

  watchScripts(scripts: readonly string[]): Promise<void> {
    return this.call("watchScripts", () => scripts.forEach((s) => this.watched.add(s)));
  }

  unwatchScripts(scripts: readonly string[]): Promise<void> {
    return this.call("unwatchScripts", () => scripts.forEach((s) => this.watched.delete(s)));
  }

  onActivity(listener: (activity: ScriptActivity) => void): void {
    this.listener = listener;
  }

  onCoinsFreed(listener: (count: number) => void): void {
    this.coinListener = listener;
  }

  fund(req: {
    readonly script: string;
    readonly amountSats: bigint;
    readonly idempotencyKey: string;
    readonly minBatchExpiry?: bigint;
  }): Promise<FundResult> {
    this.fundCalls.push({ ...req });
    return this.call("fund", () => {
      const done = this.funded.get(req.idempotencyKey);
      if (done !== undefined) return done;
      if (this.coinsTaken)
        throw new GatewayError("wallet.insufficient_funds", "every coin is reserved", {
          spec: { httpStatus: 503, retryable: true },
        });
      if (this.gatewaySats < req.amountSats) throw arkError("ark.insufficient_funds", "not enough VTXOs");
      this.gatewaySats -= req.amountSats;
      const outpoint = this.create(req.script, req.amountSats);
      const result = { arkTxid: outpoint.split(":")[0] ?? "", outpoint };
      this.funded.set(req.idempotencyKey, result);
      if (this.crashAfterNextFund) {
        this.crashAfterNextFund = false;
        this.sever(); // the process "dies" here: nobody hears the activity
        throw arkError("ark.unavailable", "connection lost after submitting", true);
      }
      return result;
    });
  }

  claimVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
    readonly preimage: string;
  }): Promise<ArkSpendResult> {
    return this.call("claimVhtlc", () => {
      if (hash160OfPreimage(req.preimage) !== req.vhtlc.preimageHash160)
        throw arkError("ark.invalid_preimage", "bad preimage");
      if (req.vhtlc.receiverPubkey !== pubkeyFor(`gateway-swap-${req.keyIndex}`))
        throw arkError("ark.invalid_key", "not ours");
      const earlier = new Set(req.vtxos.map((v) => this.ourClaims.get(v.outpoint)));
      const [previous] = earlier;
      if (earlier.size === 1 && previous !== undefined) return { arkTxid: previous }; // idempotent, as the wallet
      const script = this.scriptOf(req.vhtlc);
      const txid = randomTxid();
      for (const v of req.vtxos) this.spendOurs(v.outpoint, script, txid, req.preimage);
      for (const v of req.vtxos) this.ourClaims.set(v.outpoint, txid);
      this.gatewaySats += req.vtxos.reduce((s, v) => s + v.amountSats, 0n);
      this.claims.push({ script, preimage: req.preimage });
      return { arkTxid: txid };
    });
  }

  refundVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
  }): Promise<ArkSpendResult> {
    return this.call("refundVhtlc", () => {
      const earlier = new Set(req.vtxos.map((v) => this.ourRefunds.get(v.outpoint)));
      const [previous] = earlier;
      if (earlier.size === 1 && previous !== undefined) return { arkTxid: previous }; // idempotent, as the wallet
      if (BigInt(this.chain.height) < req.vhtlc.refundLocktime)
        throw arkError("ark.locktime_not_reached", "too early");
      if (req.vhtlc.senderPubkey !== pubkeyFor(`gateway-swap-${req.keyIndex}`))
        throw arkError("ark.invalid_key", "not ours");
      const script = this.scriptOf(req.vhtlc);
      const txid = randomTxid();
      for (const v of req.vtxos) this.spendOurs(v.outpoint, script, txid, undefined);
      for (const v of req.vtxos) this.ourRefunds.set(v.outpoint, txid);
      this.gatewaySats += req.vtxos.reduce((s, v) => s + v.amountSats, 0n);
      this.refunds.push(script);
      return { arkTxid: txid };
    });
  }

  cosignRefund(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly arkTx: string;
    readonly checkpoint: string;
  }) {
    return this.call("cosignRefund", () => {
      if (!req.arkTx.startsWith("psbt:")) throw arkError("ark.invalid_psbt", "not a PSBT");
      this.cosigned.push(this.scriptOf(req.vhtlc));
      return { arkTx: `${req.arkTx}+gateway`, checkpoint: `${req.checkpoint}+gateway` };
    });
  }

  revealedPreimage(req: {
    readonly vtxo: ScriptVtxo;
    readonly paymentHash: string;
  }): Promise<string | undefined> {
    return this.call("revealedPreimage", () => {
      const revealed = this.vtxos.get(req.vtxo.outpoint)?.revealed;
      if (revealed === undefined || this.hideRevealedPreimage) return undefined;
      return this.revealWrongPreimage ? "ab".repeat(32) : revealed;
    });
  }

  balance(): Promise<{ readonly spendableSats: bigint; readonly vtxoCount: number }> {
    return Promise.resolve({ spendableSats: this.gatewaySats, vtxoCount: 1 });
  }

  // ---- internals ----

  private scriptOf(vhtlc: SwapVhtlc): string {
    return buildCheckedVhtlc(vhtlc, this.info).script;
  }

  private create(script: string, amountSats: bigint): string {
    const outpoint = `${randomTxid()}:0`;
    this.vtxos.set(outpoint, {
      outpoint,
      amountSats,
      script,
      expiresAt: BigInt(this.chain.height + BATCH_EXPIRY_BLOCKS),
      isSpent: false,
      spentByArkTxid: undefined,
      revealed: undefined,
      isSwept: false,
      isUnrolled: false,
    });
    this.emit([script], outpoint.split(":")[0]);
    return outpoint;
  }

  private vtxo(outpoint: string): FakeVtxo {
    const v = this.vtxos.get(outpoint);
    if (v === undefined) throw new Error(`no VTXO ${outpoint}`);
    return v;
  }

  /** Spendable offchain: unspent, unswept, not unrolled. */
  private live(script: string): FakeVtxo[] {
    return [...this.vtxos.values()].filter(
      (v) => v.script === script && !v.isSpent && !v.isSwept && !v.isUnrolled,
    );
  }

  private spend(v: FakeVtxo, txid: string, revealed: string | undefined): void {
    v.isSpent = true;
    v.spentByArkTxid = txid;
    v.revealed = revealed;
  }

  private spendOurs(outpoint: string, script: string, txid: string, revealed: string | undefined): void {
    const v = this.vtxos.get(outpoint);
    if (v === undefined || v.script !== script)
      throw arkError("ark.invalid_input", "not a VTXO of this VHTLC");
    if (v.isSpent) throw arkError("ark.vtxo_spent", "already spent");
    if (v.isSwept || v.isUnrolled) throw arkError("ark.vtxo_not_offchain", "swept or unrolled");
    this.spend(v, txid, revealed);
  }

  private credit(wallet: string, sats: bigint): void {
    this.wallets.set(wallet, (this.wallets.get(wallet) ?? 0n) + sats);
  }

  private emit(scripts: string[], arkTxid: string | undefined): void {
    // delivered to whoever listens when the hint arrives (nobody, once the process "died")
    queueMicrotask(() => this.listener?.({ scripts, arkTxid }));
  }

  private call<T>(method: keyof ArkSwapPort, work: () => T): Promise<T> {
    const fault = this.faults.get(method)?.shift();
    if (fault !== undefined) return Promise.reject(fault);
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
}
