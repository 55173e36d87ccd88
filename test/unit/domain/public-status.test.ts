/**
 * The public status of a stored swap. A refunded submarine swap keeps the failure it was refunded
 * from, as Boltz does: `transaction.refunded` is a reverse/chain status, and
 * @arkade-os/boltz-swap 0.3.61 (isSubmarineFinalStatus / isSubmarineRefundableStatus) treats
 * only invoice.failedToPay, transaction.claimed and swap.expired as final for a submarine swap:
 * on anything else restoreSwaps asks for a preimage and SwapManager keeps watching the swap.
 */
import { describe, expect, it } from "vitest";
import { wireRestoredSwap } from "../../../src/api/http/restore.js";
import { publicStatus, refundedFrom } from "../../../src/domain/public-status.js";
import type { ReverseSwap, SubmarineSwap } from "../../../src/domain/swap-records.js";
import { statusView } from "../../../src/swaps/status-view.js";
import { REVERSE, SUBMARINE } from "../cli/helpers.js";
import { pubkeyFor } from "../../fakes/keys.js";

/** @arkade-os/boltz-swap 0.3.61's isSubmarineFinalStatus. */
const CLIENT_SUBMARINE_FINAL = ["invoice.failedToPay", "transaction.claimed", "swap.expired"];
/** @arkade-os/boltz-swap 0.3.61's isSubmarineRefundableStatus. */
const CLIENT_SUBMARINE_REFUNDABLE = ["invoice.failedToPay", "transaction.lockupFailed", "swap.expired"];

const REFUND_TXID = "ef".repeat(32);
const refunded = (patch: Partial<SubmarineSwap>): SubmarineSwap => ({
  ...SUBMARINE,
  status: "refunded",
  refundTxid: REFUND_TXID,
  senderPubkey: pubkeyFor("wallet"),
  receiverPubkey: pubkeyFor("gateway"),
  serverPubkey: pubkeyFor("arkd"),
  ...patch,
});

describe("publicStatus: a refunded submarine swap keeps its failure status", () => {
  it("refunded from payment_failed → invoice.failedToPay (final for a 0.3.61 client), never transaction.refunded", () => {
    const swap = refunded({ refundedFrom: "payment_failed", failureReason: "payment failed: no_route" });
    expect(publicStatus(swap)).toBe("invoice.failedToPay");
    expect(CLIENT_SUBMARINE_FINAL).toContain(publicStatus(swap));
  });

  it("refunded from funding_rejected → transaction.lockupFailed (what Boltz keeps showing)", () => {
    const swap = refunded({ refundedFrom: "funding_rejected", failureReason: "funding refused: underpaid" });
    expect(publicStatus(swap)).toBe("transaction.lockupFailed");
    expect(CLIENT_SUBMARINE_REFUNDABLE).toContain(publicStatus(swap));
  });

  it("the stored fact wins over the failure reason", () => {
    expect(
      publicStatus(refunded({ refundedFrom: "payment_failed", failureReason: "funding refused: x" })),
    ).toBe("invoice.failedToPay");
  });

  it.each([
    ["funding refused: underpaid", "funding_rejected", "transaction.lockupFailed"],
    ["funding VTXO swept", "funding_rejected", "transaction.lockupFailed"],
    ["no funding VTXO recorded", "funding_rejected", "transaction.lockupFailed"],
    ["payment failed: no_route", "payment_failed", "invoice.failedToPay"],
    ["cannot pay: invoice expired", "payment_failed", "invoice.failedToPay"],
    ["refund signed", "payment_failed", "invoice.failedToPay"],
    [null, "payment_failed", "invoice.failedToPay"],
  ] as const)(
    "a row refunded before the column existed (null, reason %j) → %s → %s",
    (failureReason, from, status) => {
      for (const refundedFromValue of [null, undefined]) {
        const swap = refunded({ refundedFrom: refundedFromValue, failureReason });
        expect(refundedFrom(swap)).toBe(from);
        expect(publicStatus(swap)).toBe(status);
      }
    },
  );

  it("claim_lost (paid, then the wallet took the VHTLC back) → invoice.failedToPay, not transaction.claimed", () => {
    const swap: SubmarineSwap = {
      ...SUBMARINE,
      status: "claim_lost",
      failureReason: "paid the invoice, but…",
    };
    expect(publicStatus(swap)).toBe("invoice.failedToPay");
    expect(CLIENT_SUBMARINE_FINAL).toContain(publicStatus(swap));
  });

  it("the other statuses follow the table; a refunded reverse swap stays transaction.refunded", () => {
    expect(publicStatus({ ...SUBMARINE, status: "payment_failed" })).toBe("invoice.failedToPay");
    expect(publicStatus({ ...SUBMARINE, status: "funding_rejected" })).toBe("transaction.lockupFailed");
    expect(publicStatus({ ...SUBMARINE, status: "claimed" })).toBe("transaction.claimed");
    const reverse: ReverseSwap = { ...REVERSE, status: "refunded", refundTxid: REFUND_TXID };
    expect(publicStatus(reverse)).toBe("transaction.refunded");
    expect(statusView(reverse).status).toBe("transaction.refunded");
  });

  it("GET /v2/swap/{id} and restore items show the failure status, and the refund as the transaction", () => {
    for (const [from, status] of [
      ["payment_failed", "invoice.failedToPay"],
      ["funding_rejected", "transaction.lockupFailed"],
    ] as const) {
      const swap = refunded({ refundedFrom: from });
      expect(statusView(swap)).toMatchObject({ status, transaction: { id: REFUND_TXID } });
      expect(wireRestoredSwap(swap)).toMatchObject({ id: swap.id, type: "submarine", status });
    }
  });
});
