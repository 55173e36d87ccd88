/**
 * An in-memory SwapService for the HTTP/WS tests: stores swaps with real VHTLC parameters (so
 * restore rebuilds real leaves and addresses), moves them through statuses on demand and emits
 * updates like the engine. Errors follow the service contract (GatewayError with codes from
 * SWAP_SERVICE_ERRORS).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import {
  buildVhtlc,
  encodeArkAddress,
  h160FromPaymentHash,
  relativeTimelockFromNumber,
} from "../../src/ark/scripts/index.js";
import { errorFactory } from "../../src/domain/errors.js";
import type { ReverseSwap, SubmarineSwap, Swap } from "../../src/domain/swap-records.js";
import { publicStatus } from "../../src/domain/public-status.js";
import type { StatusOf, SwapType } from "../../src/domain/swap-types.js";
import {
  SWAP_SERVICE_ERRORS,
  type CreatedReverse,
  type CreatedSubmarine,
  type PairQuote,
  type SwapService,
  type SwapStatusView,
  type SwapUpdate,
} from "../../src/swaps/ports/swap-service.js";

const fail = errorFactory(SWAP_SERVICE_ERRORS);

/** A deterministic compressed public key from a small seed. */
export function pubkeyHex(seed: number): string {
  const priv = new Uint8Array(32);
  priv[31] = seed;
  priv[0] = 1;
  return hex.encode(secp256k1.getPublicKey(priv, true));
}

export const GATEWAY_KEY = pubkeyHex(1);
export const ARKD_SIGNER_KEY = pubkeyHex(2);

export const TIMEOUTS = {
  refund: 250n,
  unilateralClaim: 17n,
  unilateralRefund: 33n,
  unilateralRefundWithoutReceiver: 1024n,
} as const;

export class FakeSwapService implements SwapService {
  readonly swaps = new Map<string, Swap>();
  readonly preimages = new Map<string, string>();
  readonly lockups = new Map<string, { id: string; hex?: string }>();
  readonly calls: { method: string; args: unknown[] }[] = [];
  private readonly listeners = new Set<(u: SwapUpdate) => void>();
  private seq = 0;
  submarineHash = "sub-hash-1";
  reverseHash = "rev-hash-1";
  /** When set, the next call of any method rejects with it. */
  failNext: unknown = undefined;
  /** Delays `status()` answers (ms), to exercise the WS subscribe race. */
  statusDelayMs = 0;

  get listenerCount(): number {
    return this.listeners.size;
  }

  private enter(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const err = this.failNext;
    if (err !== undefined) {
      this.failNext = undefined;
      throw err;
    }
  }

  async submarineQuote(): Promise<PairQuote> {
    this.enter("submarineQuote");
    return {
      hash: this.submarineHash,
      feePercentage: "0.1",
      minimalSats: 1000n,
      maximalSats: 4_294_967n,
      baseFeeSats: 0n,
    };
  }

  async reverseQuote(): Promise<PairQuote> {
    this.enter("reverseQuote");
    return {
      hash: this.reverseHash,
      feePercentage: "0.25",
      minimalSats: 1000n,
      maximalSats: 4_294_967n,
      baseFeeSats: 0n,
    };
  }

  async createSubmarine(req: {
    invoice: string;
    refundPublicKey: string;
    pairHash?: string;
  }): Promise<CreatedSubmarine> {
    this.enter("createSubmarine", req);
    if (req.pairHash !== undefined && req.pairHash !== this.submarineHash)
      throw fail("swap.pair_hash_mismatch", "stale");
    const paymentHash = hex.encode(sha256(new TextEncoder().encode(req.invoice)));
    const swap = this.store<SubmarineSwap>(
      "submarine",
      "awaiting_funding",
      req.refundPublicKey,
      GATEWAY_KEY,
      paymentHash,
      {
        invoice: req.invoice,
        invoiceAmountMsat: 10_000_000n,
        invoiceAmountSats: 10_000n,
        feeSats: 10n,
        expectedAmountSats: 10_010n,
        receivedAmountSats: null,
        fundingOutpoints: [],
        routingFeeBudgetSats: 121n,
        maxTimeoutHeight: 230n,
        paymentFeeMsat: null,
        claimTxid: null,
        refundTxid: null,
      },
    );
    return {
      id: swap.id,
      expectedAmountSats: swap.expectedAmountSats,
      address: swap.lockupAddress,
      claimPublicKey: GATEWAY_KEY,
      acceptZeroConf: true,
      timeoutBlockHeights: TIMEOUTS,
    };
  }

  async createReverse(req: {
    invoiceAmountSats: bigint;
    claimPublicKey: string;
    preimageHash: string;
    description?: string;
    pairHash?: string;
  }): Promise<CreatedReverse> {
    this.enter("createReverse", req);
    if (req.pairHash !== undefined && req.pairHash !== this.reverseHash)
      throw fail("swap.pair_hash_mismatch", "stale");
    const fee = (req.invoiceAmountSats * 25n + 9999n) / 10000n;
    const swap = this.store<ReverseSwap>(
      "reverse",
      "invoice_created",
      GATEWAY_KEY,
      req.claimPublicKey,
      req.preimageHash,
      {
        invoice: "lnbcrt1fakeholdinvoice",
        invoiceAmountSats: req.invoiceAmountSats,
        feeSats: fee,
        onchainAmountSats: req.invoiceAmountSats - fee,
        holdInvoiceCltvDelta: 80n,
        invoiceExpiresAt: new Date(Date.now() + 3600_000),
        description: req.description ?? null,
        htlcExpiryHeight: null,
        fundingTxid: null,
        fundingOutpoint: null,
        claimTxid: null,
        refundTxid: null,
      },
    );
    return {
      id: swap.id,
      invoice: swap.invoice,
      onchainAmountSats: swap.onchainAmountSats,
      lockupAddress: swap.lockupAddress,
      refundPublicKey: GATEWAY_KEY,
      timeoutBlockHeights: TIMEOUTS,
    };
  }

  async status(id: string): Promise<SwapStatusView> {
    this.enter("status", id);
    const view = this.view(this.find(id));
    if (this.statusDelayMs > 0) await new Promise((r) => setTimeout(r, this.statusDelayMs));
    return view;
  }

  async submarinePreimage(id: string): Promise<{ preimage: string }> {
    this.enter("submarinePreimage", id);
    const swap = this.find(id);
    const preimage = this.preimages.get(id);
    if (swap.type !== "submarine" || preimage === undefined)
      throw fail("swap.not_found", `no preimage for swap ${id}`);
    return { preimage };
  }

  async reverseLockup(id: string): Promise<{ id: string; hex?: string }> {
    this.enter("reverseLockup", id);
    const swap = this.find(id);
    const lockup = this.lockups.get(id);
    if (swap.type !== "reverse" || lockup === undefined)
      throw fail("swap.not_found", `no lockup for swap ${id}`);
    return lockup;
  }

  async refundArk(
    id: string,
    req: { transaction: string; checkpoint: string },
  ): Promise<{ transaction: string; checkpoint: string }> {
    this.enter("refundArk", id, req);
    const swap = this.find(id);
    if (swap.type !== "submarine") throw fail("swap.not_found", `no submarine swap ${id}`);
    return { transaction: req.transaction, checkpoint: req.checkpoint };
  }

  async heights(): Promise<{ BTC: number; ARK: number }> {
    this.enter("heights");
    return { BTC: 201, ARK: 201 };
  }

  async restore(publicKey: string): Promise<readonly Swap[]> {
    this.enter("restore", publicKey);
    return [...this.swaps.values()].filter((s) =>
      s.type === "submarine" ? s.senderPubkey === publicKey : s.receiverPubkey === publicKey,
    );
  }

  async get(id: string): Promise<Swap> {
    this.enter("get", id);
    return this.find(id);
  }

  async list(filter?: { type?: SwapType; limit?: number }): Promise<readonly Swap[]> {
    this.enter("list", filter);
    const all = [...this.swaps.values()].filter((s) => filter?.type === undefined || s.type === filter.type);
    return all.slice(0, filter?.limit ?? all.length);
  }

  onUpdate(listener: (update: SwapUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Test control: moves a swap to `status` (with extra fields) and emits the update. */
  transition<T extends SwapType>(id: string, status: StatusOf[T], patch: Partial<Swap> = {}): SwapUpdate {
    const swap = {
      ...this.find(id),
      ...patch,
      status,
      version: this.find(id).version + 1,
      updatedAt: new Date(),
    } as Swap;
    this.swaps.set(id, swap);
    const update: SwapUpdate = { ...this.view(swap), at: swap.updatedAt };
    for (const l of this.listeners) l(update);
    return update;
  }

  private find(id: string): Swap {
    const swap = this.swaps.get(id);
    if (swap === undefined) throw fail("swap.not_found", `could not find swap with id: ${id}`);
    return swap;
  }

  private view(swap: Swap): SwapStatusView {
    const status = publicStatus(swap);
    const txid = swap.type === "submarine" ? swap.claimTxid : swap.fundingTxid;
    return {
      id: swap.id,
      type: swap.type,
      status,
      ...(txid === null ? {} : { transaction: { id: txid } }),
      ...(swap.failureReason === null ? {} : { failureReason: swap.failureReason }),
    };
  }

  private store<S extends Swap>(
    type: S["type"],
    status: S["status"],
    sender: string,
    receiver: string,
    paymentHash: string,
    rest: Omit<S, keyof Swap> & Record<string, unknown>,
  ): S {
    const vhtlc = buildVhtlc({
      sender: hex.decode(sender),
      receiver: hex.decode(receiver),
      server: hex.decode(ARKD_SIGNER_KEY),
      preimageHash: h160FromPaymentHash(hex.decode(paymentHash)),
      refundLocktime: TIMEOUTS.refund,
      unilateralClaimDelay: relativeTimelockFromNumber(TIMEOUTS.unilateralClaim),
      unilateralRefundDelay: relativeTimelockFromNumber(TIMEOUTS.unilateralRefund),
      unilateralRefundWithoutReceiverDelay: relativeTimelockFromNumber(
        TIMEOUTS.unilateralRefundWithoutReceiver,
      ),
    });
    const now = new Date(1_750_000_000_000 + this.seq * 1000);
    const swap = {
      id: `swap${type === "submarine" ? "S" : "R"}${++this.seq}`,
      type,
      status,
      version: 1,
      createdAt: now,
      updatedAt: now,
      paymentHash,
      senderPubkey: sender,
      receiverPubkey: receiver,
      serverPubkey: ARKD_SIGNER_KEY,
      lockupAddress: encodeArkAddress({
        network: "regtest",
        serverKey: hex.decode(ARKD_SIGNER_KEY),
        vtxoOutputKey: vhtlc.outputKey,
      }),
      lockupScript: hex.encode(vhtlc.pkScript),
      refundLocktime: TIMEOUTS.refund,
      unilateralClaimDelay: TIMEOUTS.unilateralClaim,
      unilateralRefundDelay: TIMEOUTS.unilateralRefund,
      unilateralRefundWithoutReceiverDelay: TIMEOUTS.unilateralRefundWithoutReceiver,
      expiresAt: null,
      failureReason: null,
      ...rest,
    } as unknown as S;
    this.swaps.set(swap.id, swap);
    return swap;
  }
}
