/**
 * The two swaps the sandbox runs, as a wallet would: through the gateway's HTTP API, with the
 * client wallet doing the Ark side and bob's LND the Lightning side.
 */
import { createHash, randomBytes } from "node:crypto";
import { hex } from "@scure/base";
import { decodeArkAddress } from "../../ark/scripts/index.js";
import type { ArkWallet } from "../../ark/wallet/index.js";
import type { SwapVhtlc } from "../../swaps/ports/ark.js";
import { preimageHash160 } from "../../ark/scripts/index.js";
import type { GatewayApi, WireTimeouts } from "./http-client.js";
import { sat, type Progress } from "./progress.js";
import { minFundingBatchExpiry } from "../../domain/timeout-chain.js";

/** Bob's Lightning node, as far as the swaps need it. */
export interface PayerNode {
  createInvoice(sats: number, description: string): Promise<{ readonly request: string }>;
  /** Pays and resolves once settled. */
  pay(request: string): Promise<{ readonly feeSats: number }>;
}

export interface SwapDriver {
  readonly api: GatewayApi;
  readonly client: ArkWallet;
  readonly bob: PayerNode;
  readonly progress: Progress;
  /**
   * The gateway's batch-expiry margin: with it the client funds a submarine VHTLC only from coins
   * whose batch outlives the swap's refund locktime by that margin (the gateway refuses others,
   * `batch_expiry_too_soon`). Needs a client wallet that knows its coins' deadlines.
   */
  readonly batchExpiryMargin?: bigint;
}

/**
 * The VHTLC a wallet rebuilds from a swap's API answer (keys 33-byte hex, the payment hash, the
 * four timeouts), to spend it: the reverse swap's claim, a submarine swap's refunds.
 */
export function vhtlcFromWire(p: {
  readonly sender: string;
  readonly receiver: string;
  readonly server: string;
  readonly paymentHash: string;
  readonly timeouts: WireTimeouts;
}): SwapVhtlc {
  return {
    senderPubkey: p.sender,
    receiverPubkey: p.receiver,
    serverPubkey: p.server,
    preimageHash160: preimageHash160(p.paymentHash),
    refundLocktime: BigInt(p.timeouts.refund),
    unilateralClaimDelay: BigInt(p.timeouts.unilateralClaim),
    unilateralRefundDelay: BigInt(p.timeouts.unilateralRefund),
    unilateralRefundWithoutReceiverDelay: BigInt(p.timeouts.unilateralRefundWithoutReceiver),
  };
}

const scriptOf = (address: string): string => hex.encode(decodeArkAddress(address).pkScript);

/** Ark → Lightning: the client pays an invoice of bob's from its Ark balance. */
export async function runSubmarineSwap(d: SwapDriver, amountSats: number): Promise<void> {
  const { progress: p } = d;
  p.step(`submarine swap: the client pays bob's invoice of ${sat(amountSats)} from Ark`);
  const invoice = await d.bob.createInvoice(amountSats, "ark-ln-gateway sandbox");
  p.info(`bob's invoice: ${invoice.request.slice(0, 40)}…`);
  const key = await d.client.swapKey(`sandbox-submarine-${Date.now()}`);
  const created = await d.api.createSubmarine(invoice.request, key.publicKey);
  p.info(`swap ${created.id}: lock ${sat(created.expectedAmount)} at ${created.address.slice(0, 24)}…`);
  const funded = await d.client.fund({
    script: scriptOf(created.address),
    amountSats: BigInt(created.expectedAmount),
    idempotencyKey: created.id,
    ...(d.batchExpiryMargin === undefined
      ? {}
      : {
          minBatchExpiry: minFundingBatchExpiry(BigInt(created.timeoutBlockHeights.refund), {
            batchExpiryMargin: d.batchExpiryMargin,
          }),
        }),
  });
  p.info(`client funded the VHTLC: ark tx ${funded.arkTxid}`);
  await d.api.waitForStatus(created.id, ["transaction.claimed"], (s) => p.info(`status: ${s}`), {
    failing: ["invoice.failedToPay", "swap.expired", "transaction.lockupFailed", "transaction.refunded"],
  });
  p.info(`done: bob received ${sat(amountSats)}, the gateway claimed ${sat(created.expectedAmount)} on Ark`);
}

/** Lightning → Ark: bob pays the gateway's hold invoice, the client claims the VHTLC. */
export async function runReverseSwap(d: SwapDriver, amountSats: number): Promise<void> {
  const { progress: p } = d;
  p.step(`reverse swap: bob pays ${sat(amountSats)} over Lightning, the client receives on Ark`);
  const preimage = randomBytes(32);
  const paymentHash = createHash("sha256").update(preimage).digest("hex");
  const key = await d.client.swapKey(`sandbox-reverse-${Date.now()}`);
  const created = await d.api.createReverse(amountSats, paymentHash, key.publicKey);
  p.info(
    `swap ${created.id}: hold invoice for ${sat(amountSats)}, ${sat(created.onchainAmount)} to be locked on Ark`,
  );
  const payment = d.bob.pay(created.invoice);
  payment.catch(() => undefined); // awaited below; a rejection before that must not go unhandled
  p.info("bob is paying the hold invoice (held until the preimage is known)");
  await d.api.waitForStatus(
    created.id,
    ["transaction.mempool", "transaction.confirmed"],
    (s) => p.info(`status: ${s}`),
    {
      failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
    },
  );
  const info = await d.client.serverInfo();
  const vhtlc = vhtlcFromWire({
    sender: created.refundPublicKey,
    receiver: key.publicKey,
    server: info.signerPubkey,
    paymentHash,
    timeouts: created.timeoutBlockHeights,
  });
  const vtxos = (await d.client.vtxosAt(scriptOf(created.lockupAddress))).filter((v) => !v.isSpent);
  const claimed = await d.client.claimVhtlc({
    vhtlc,
    keyIndex: key.index,
    vtxos,
    preimage: preimage.toString("hex"),
  });
  p.info(
    `client claimed ${sat(vtxos.reduce((s, v) => s + v.amountSats, 0n))} with the preimage: ark tx ${claimed.arkTxid}`,
  );
  await d.api.waitForStatus(created.id, ["invoice.settled"], (s) => p.info(`status: ${s}`));
  const paid = await payment;
  p.info(
    `done: bob paid ${sat(amountSats)} (+${sat(paid.feeSats)} routing), the client holds ${sat(created.onchainAmount)} on Ark`,
  );
}
