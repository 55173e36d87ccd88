/**
 * SwapService over the engine: quotes, creation (every check before one insert), status views,
 * the submarine preimage, the reverse lockup, cooperative refunds (invariant 1: the status must
 * allow it AND LND must say the payment is none or failed; invariant 6: the "refund signed" fact
 * is durable before the signatures leave), heights, restore and listing.
 */
import { isGatewayError } from "../domain/errors.js";
import type { Swap, SubmarineSwap } from "../domain/swap-records.js";
import type { LightningPort } from "./ports/lightning.js";
import type { ArkSwapPort } from "./ports/ark.js";
import { systemClock, type Clock } from "./ports/clock.js";
import type { CreateDeps } from "./create-deps.js";
import type { SwapEngine } from "./engine.js";
import { swapError } from "./errors.js";
import { checkPairHash, checkPublicKey, newSwapId } from "./input.js";
import { pairQuote } from "./quotes.js";
import { createHoldInvoice, planReverse } from "./reverse/create.js";
import {
  SWAP_NOT_FOUND_TEXT,
  type CreatedReverse,
  type CreatedSubmarine,
  type PairQuote,
  type SwapService,
  type SwapStatusView,
  type SwapUpdate,
} from "./ports/swap-service.js";
import type { SwapSettings } from "./settings.js";
import { statusView } from "./status-view.js";
import type { SwapStore } from "./ports/swap-store.js";
import { prepareSubmarine } from "./submarine/create.js";
import { swapVhtlc } from "./vhtlc.js";
import type { SwapType } from "../domain/swap-types.js";

export interface SwapServiceDeps {
  readonly engine: SwapEngine;
  readonly store: SwapStore;
  readonly ln: LightningPort;
  readonly ark: ArkSwapPort;
  readonly settings: SwapSettings;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

/** Submarine statuses in which the wallet may get a cooperative refund. */
const REFUNDABLE = new Set(["payment_failed", "funding_rejected", "expired"]);
/** Ended swaps whose VHTLC may still hold a surplus VTXO (a retried lockup) the wallet can take back. */
const SURPLUS_REFUNDABLE = new Set(["claimed", "refunded"]);
/** Submarine statuses in which the invoice is paid and the preimage is durable. */
const PAID = new Set(["paid", "claiming", "claimed", "claim_lost"]);

function asDuplicate(err: unknown): unknown {
  return isGatewayError(err, "db.duplicate")
    ? swapError("swap.already_exists", "a swap with this payment hash exists already", undefined, err)
    : err;
}

export class GatewaySwapService implements SwapService {
  private readonly create: CreateDeps;

  constructor(private readonly deps: SwapServiceDeps) {
    this.create = {
      ln: deps.ln,
      ark: deps.ark,
      store: deps.store,
      settings: deps.settings,
      clock: deps.clock ?? systemClock,
      newId: deps.newId ?? newSwapId,
    };
  }

  submarineQuote(): Promise<PairQuote> {
    return Promise.resolve(pairQuote(this.deps.settings, "submarine"));
  }

  reverseQuote(): Promise<PairQuote> {
    return Promise.resolve(pairQuote(this.deps.settings, "reverse"));
  }

  async createSubmarine(req: {
    readonly invoice: string;
    readonly refundPublicKey: string;
    readonly pairHash?: string;
  }): Promise<CreatedSubmarine> {
    checkPairHash(req.pairHash, pairQuote(this.deps.settings, "submarine"));
    const { swap, created } = await prepareSubmarine(this.create, req);
    const stored = await this.deps.store.insert(swap, { source: "api" }).catch((err: unknown) => {
      throw asDuplicate(err);
    });
    await this.deps.engine.track(stored);
    return created;
  }

  async createReverse(req: {
    readonly invoiceAmountSats: bigint;
    readonly claimPublicKey: string;
    readonly preimageHash: string;
    readonly description?: string;
    readonly descriptionHash?: string;
    readonly pairHash?: string;
  }): Promise<CreatedReverse> {
    checkPairHash(req.pairHash, pairQuote(this.deps.settings, "reverse"));
    const plan = await planReverse(this.create, req);
    const { swap, created } = await createHoldInvoice(this.create, plan);
    let stored: Swap;
    try {
      stored = await this.deps.store.insert(swap, { source: "api" });
    } catch (err) {
      // nothing half-made: the invoice nobody can see yet goes away with the failed insert
      await this.deps.ln.cancelHoldInvoice(swap.paymentHash).catch(() => undefined);
      throw asDuplicate(err);
    }
    await this.deps.engine.track(stored);
    return created;
  }

  async status(id: string): Promise<SwapStatusView> {
    const swap = await this.get(id);
    const preimage =
      swap.type === "submarine" && PAID.has(swap.status)
        ? await this.deps.store.findPreimage(swap.paymentHash)
        : undefined;
    return statusView(swap, preimage);
  }

  async submarinePreimage(id: string): Promise<{ readonly preimage: string }> {
    const swap = await this.ofType(id, "submarine");
    const preimage = PAID.has(swap.status) ? await this.deps.store.findPreimage(swap.paymentHash) : undefined;
    if (preimage === undefined) throw swapError("swap.preimage_not_available", "the invoice is not paid yet");
    return { preimage };
  }

  async reverseLockup(id: string): Promise<{ readonly id: string; readonly hex?: string }> {
    const swap = await this.ofType(id, "reverse");
    if (swap.fundingTxid === null)
      throw swapError("swap.lockup_not_available", "the VHTLC is not funded yet");
    return { id: swap.fundingTxid };
  }

  async refundArk(
    id: string,
    req: { readonly transaction: string; readonly checkpoint: string },
  ): Promise<{ readonly transaction: string; readonly checkpoint: string }> {
    if (
      typeof req?.transaction !== "string" ||
      typeof req.checkpoint !== "string" ||
      req.transaction === ""
    ) {
      throw swapError("swap.invalid_request", "transaction and checkpoint must be base64 PSBTs");
    }
    await this.ofType(id, "submarine");
    return this.deps.engine.withSwapLock(id, async () => {
      const swap = await this.ofType(id, "submarine");
      const surplus = SURPLUS_REFUNDABLE.has(swap.status);
      if (!surplus) await this.assertRefundAllowed(swap);
      const recorded = await this.deps.engine.record<"submarine">(
        swap,
        surplus
          ? { event: "surplus_refund_cosigned", data: { fundingOutpoints: swap.fundingOutpoints } }
          : {
              event: "refund_cosigned",
              patch: { refundSignedAt: this.create.clock.now() },
              data: { fundingOutpoints: swap.fundingOutpoints },
            },
      );
      if (!recorded) throw swapError("swap.refund_not_allowed", "the swap changed meanwhile; try again");
      const { index } = await this.deps.ark.swapKey(swap.id);
      const signed = await this.deps.ark.cosignRefund({
        vhtlc: swapVhtlc(swap),
        keyIndex: index,
        arkTx: req.transaction,
        checkpoint: req.checkpoint,
        // After a claim, only VTXOs beyond the claimed funding (spent ones are refused anyway).
        ...(surplus ? { excludedOutpoints: swap.fundingOutpoints } : {}),
      });
      return { transaction: signed.arkTx, checkpoint: signed.checkpoint };
    });
  }

  async heights(): Promise<{ readonly BTC: number; readonly ARK: number }> {
    const height = await this.deps.ln.getHeight();
    return { BTC: height, ARK: height };
  }

  async restore(publicKey: string): Promise<readonly Swap[]> {
    return this.deps.store.list({ pubkey: checkPublicKey(publicKey, "publicKey"), limit: 1000 });
  }

  async get(id: string): Promise<Swap> {
    const swap = typeof id === "string" && id !== "" ? await this.deps.store.find(id) : undefined;
    if (swap === undefined)
      throw swapError("swap.not_found", `${SWAP_NOT_FOUND_TEXT} with id: ${String(id)}`, { id: String(id) });
    return swap;
  }

  list(filter?: {
    readonly type?: SwapType;
    readonly openOnly?: boolean;
    readonly limit?: number;
  }): Promise<readonly Swap[]> {
    return this.deps.store.list(filter);
  }

  onUpdate(listener: (update: SwapUpdate) => void): () => void {
    return this.deps.engine.onUpdate(listener);
  }

  private async ofType<T extends SwapType>(id: string, type: T): Promise<Extract<Swap, { type: T }>> {
    const swap = await this.get(id);
    if (swap.type !== type)
      throw swapError("swap.not_found", `${SWAP_NOT_FOUND_TEXT} of type ${type} with id: ${id}`, { id });
    return swap as Extract<Swap, { type: T }>;
  }

  /** Invariant 1: the status allows it AND LND has no payment in flight or succeeded. */
  private async assertRefundAllowed(swap: SubmarineSwap): Promise<void> {
    if (!REFUNDABLE.has(swap.status)) {
      throw swapError("swap.refund_not_allowed", `no cooperative refund in status ${swap.status}`, {
        status: swap.status,
      });
    }
    const payment = await this.deps.ln.getPayment(swap.paymentHash);
    if (payment.status !== "none" && payment.status !== "failed") {
      throw swapError("swap.refund_not_allowed", `the Lightning payment is ${payment.status}`, {
        payment: payment.status,
      });
    }
  }
}
