/** Sample swaps for repository tests: unique hashes/addresses per call, realistic shapes. */
import { createHash, randomBytes } from "node:crypto";
import type { NewReverseSwap, NewSubmarineSwap } from "../../../src/domain/swap-records.js";

const hex = (n: number) => randomBytes(n).toString("hex");
const pubkey = () => `02${hex(32)}`;

export function preimagePair(): { preimage: string; paymentHash: string } {
  const preimage = hex(32);
  return { preimage, paymentHash: createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex") };
}

function shared() {
  return {
    id: `swap_${hex(6)}`,
    paymentHash: preimagePair().paymentHash,
    feeSats: 100n,
    senderPubkey: pubkey(),
    receiverPubkey: pubkey(),
    serverPubkey: pubkey(),
    lockupAddress: `tark1${hex(20)}`,
    lockupScript: `5120${hex(32)}`,
    refundLocktime: 250n,
    unilateralClaimDelay: 20n,
    unilateralRefundDelay: 30n,
    unilateralRefundWithoutReceiverDelay: 40n,
  };
}

export function sampleSubmarine(overrides: Partial<NewSubmarineSwap> = {}): NewSubmarineSwap {
  return {
    ...shared(),
    type: "submarine",
    invoice: `lnbcrt100u1p${hex(40)}`,
    invoiceAmountSats: 10_000n,
    invoiceAmountMsat: 10_000_000n,
    expectedAmountSats: 10_100n,
    routingFeeBudgetSats: 121n,
    maxTimeoutHeight: 230n,
    ...overrides,
  };
}

export function sampleReverse(overrides: Partial<NewReverseSwap> = {}): NewReverseSwap {
  return {
    ...shared(),
    type: "reverse",
    invoice: `lnbcrt100u1p${hex(40)}`,
    invoiceAmountSats: 20_000n,
    onchainAmountSats: 19_950n,
    holdInvoiceCltvDelta: 60n,
    invoiceExpiresAt: new Date(Date.now() + 3_600_000),
    description: "coffee",
    ...overrides,
  };
}
