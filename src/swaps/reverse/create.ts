/**
 * Creating a reverse swap: every check first (keys, hash, limits, duplicates, timeouts, the
 * VHTLC against arkd's GetInfo), then the hold invoice (its CLTV delta keeps any paying HTLC
 * alive past refundLocktime + margin: invariant 3; expiry ≤ 1 h), then one insert. If the insert
 * fails the hold invoice is cancelled again, so nothing stays half-made.
 */
import { isGatewayError } from "../../domain/errors.js";
import { quoteReverse } from "../../domain/fees.js";
import { assertVtxoAmount } from "../../domain/limits.js";
import type { NewReverseSwap } from "../../domain/swap-records.js";
import { planReverseTimeouts } from "../../domain/timeout-plans.js";
import type { ArkServerInfo } from "../../ark/server-info.js";
import type { HoldInvoiceDescription } from "../ports/lightning.js";
import { chainTip } from "../context.js";
import type { CreateDeps } from "../create-deps.js";
import { swapError } from "../errors.js";
import { checkLimits, checkPreimageHash, checkPublicKey } from "../input.js";
import type { CreatedReverse } from "../ports/swap-service.js";
import { preimageHash160 } from "../../ark/scripts/index.js";
import { buildCheckedVhtlc } from "../vhtlc.js";
import { isLowerHex32 } from "../../lib/hex.js";

/** LND's bounds for a hold invoice's final CLTV delta. */
const LND_MIN_CLTV_DELTA = 18n;
const MAX_DESCRIPTION_BYTES = 639;
/**
 * The description when the wallet gives none (or only whitespace): the text
 * `@arkade-os/boltz-swap` puts in its own requests then, so every invoice reads the same.
 */
export const DEFAULT_DESCRIPTION = "Send to Arkade address";

export interface ReverseRequest {
  readonly invoiceAmountSats: bigint;
  readonly claimPublicKey: string;
  readonly preimageHash: string;
  /** Exclusive with `descriptionHash`. */
  readonly description?: string;
  /** SHA-256 of a description shown elsewhere (LNURL), 32 bytes hex. */
  readonly descriptionHash?: string;
}

/**
 * What the hold invoice commits to: the hash when given, else the trimmed description or the
 * default one.
 * @throws GatewayError `swap.invalid_description` (both given, too long, malformed hash)
 */
function checkDescription(req: ReverseRequest): HoldInvoiceDescription {
  const { description, descriptionHash } = req;
  if (descriptionHash !== undefined) {
    if (description !== undefined)
      throw swapError("swap.invalid_description", "description and descriptionHash are exclusive");
    if (typeof descriptionHash !== "string" || !isLowerHex32(descriptionHash.toLowerCase()))
      throw swapError("swap.invalid_description", "descriptionHash must be 32 bytes of hex");
    return { descriptionHash: descriptionHash.toLowerCase() };
  }
  if (description === undefined) return { description: DEFAULT_DESCRIPTION };
  if (
    typeof description !== "string" ||
    new TextEncoder().encode(description).length > MAX_DESCRIPTION_BYTES
  ) {
    throw swapError("swap.invalid_description", `description must be at most ${MAX_DESCRIPTION_BYTES} bytes`);
  }
  const trimmed = description.trim();
  return { description: trimmed === "" ? DEFAULT_DESCRIPTION : trimmed };
}

function quote(deps: CreateDeps, amountSats: bigint, info: ArkServerInfo) {
  if (typeof amountSats !== "bigint")
    throw swapError("swap.invalid_request", "invoiceAmountSats must be an integer");
  checkLimits(amountSats, deps.settings.limits.reverse);
  try {
    const q = quoteReverse(amountSats, deps.settings.fees.reverse);
    assertVtxoAmount(q.onchainAmountSats, {
      dustSats: info.dustSats,
      vtxoMinAmountSats: info.vtxoMinAmountSats,
      vtxoMaxAmountSats: info.vtxoMaxAmountSats,
    });
    return q;
  } catch (cause) {
    if (!isGatewayError(cause)) throw cause;
    throw swapError("swap.amount_out_of_limits", cause.message, undefined, cause);
  }
}

/**
 * Validates a reverse request and plans the swap (nothing is written, no invoice created).
 * @throws GatewayError `swap.*` 4xx on bad input
 */
export async function planReverse(deps: CreateDeps, req: ReverseRequest) {
  const receiverPubkey = checkPublicKey(req.claimPublicKey, "claimPublicKey");
  const paymentHash = checkPreimageHash(req.preimageHash);
  const purpose = checkDescription(req);
  const info = await deps.ark.serverInfo();
  const amounts = quote(deps, req.invoiceAmountSats, info);
  if ((await deps.store.findByPaymentHash(paymentHash)) !== undefined) {
    throw swapError("swap.already_exists", "a swap with this payment hash exists already");
  }
  const plan = planReverseTimeouts(
    deps.settings.timeouts,
    await chainTip(deps),
    info.unilateralExitDelay,
    deps.settings.engine.holdInvoiceCancelMarginBlocks,
  );
  const id = deps.newId();
  const senderPubkey = (await deps.ark.swapKey(id)).publicKey;
  if (receiverPubkey === senderPubkey)
    throw swapError("swap.invalid_public_key", "claimPublicKey is the gateway's key");
  const vhtlc = {
    senderPubkey,
    receiverPubkey,
    serverPubkey: checkPublicKey(info.signerPubkey, "signerPubkey"),
    preimageHash160: preimageHash160(paymentHash),
    refundLocktime: plan.refundLocktime,
    unilateralClaimDelay: plan.unilateralClaimDelay,
    unilateralRefundDelay: plan.unilateralRefundDelay,
    unilateralRefundWithoutReceiverDelay: plan.unilateralRefundWithoutReceiverDelay,
  };
  const built = buildCheckedVhtlc(vhtlc, info);
  const cltvDelta =
    plan.holdInvoiceCltvDelta < LND_MIN_CLTV_DELTA ? LND_MIN_CLTV_DELTA : plan.holdInvoiceCltvDelta;
  return { id, paymentHash, purpose, amounts, plan, vhtlc, built, cltvDelta };
}

/**
 * Creates the hold invoice for a planned reverse swap and returns the record to insert.
 * @throws GatewayError `swap.already_exists` when LND knows an invoice with this hash; LND errors
 */
export async function createHoldInvoice(
  deps: CreateDeps,
  p: Awaited<ReturnType<typeof planReverse>>,
): Promise<{ readonly swap: NewReverseSwap; readonly created: CreatedReverse }> {
  const expiresAt = new Date(
    deps.clock.now().getTime() + Number(deps.settings.reverseInvoiceExpirySeconds) * 1000,
  );
  const invoice = await deps.ln
    .createHoldInvoice({
      paymentHash: p.paymentHash,
      amountSats: p.amounts.invoiceAmountSats,
      cltvDelta: Number(p.cltvDelta),
      expiresAt,
      ...p.purpose,
    })
    .catch((cause: unknown) => {
      if (isGatewayError(cause, "ln.invoice_already_exists"))
        throw swapError(
          "swap.already_exists",
          "an invoice with this payment hash exists already",
          undefined,
          cause,
        );
      throw cause;
    });
  const swap: NewReverseSwap = {
    id: p.id,
    type: "reverse",
    paymentHash: p.paymentHash,
    invoice: invoice.bolt11,
    invoiceAmountSats: p.amounts.invoiceAmountSats,
    feeSats: p.amounts.feeSats,
    onchainAmountSats: p.amounts.onchainAmountSats,
    holdInvoiceCltvDelta: p.cltvDelta,
    invoiceExpiresAt: expiresAt,
    // a description hash is not stored apart: the stored invoice commits to it
    description: p.purpose.description ?? null,
    senderPubkey: p.vhtlc.senderPubkey,
    receiverPubkey: p.vhtlc.receiverPubkey,
    serverPubkey: p.vhtlc.serverPubkey,
    refundLocktime: p.vhtlc.refundLocktime,
    unilateralClaimDelay: p.vhtlc.unilateralClaimDelay,
    unilateralRefundDelay: p.vhtlc.unilateralRefundDelay,
    unilateralRefundWithoutReceiverDelay: p.vhtlc.unilateralRefundWithoutReceiverDelay,
    lockupAddress: p.built.address,
    lockupScript: p.built.script,
    expiresAt,
  };
  const created: CreatedReverse = {
    id: p.id,
    invoice: invoice.bolt11,
    onchainAmountSats: p.amounts.onchainAmountSats,
    lockupAddress: p.built.address,
    refundPublicKey: p.vhtlc.senderPubkey,
    timeoutBlockHeights: {
      refund: p.plan.refundLocktime,
      unilateralClaim: p.plan.unilateralClaimDelay,
      unilateralRefund: p.plan.unilateralRefundDelay,
      unilateralRefundWithoutReceiver: p.plan.unilateralRefundWithoutReceiverDelay,
    },
  };
  return { swap, created };
}
