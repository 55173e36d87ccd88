/** The reverse onchain refund of an unrolled, unclaimed VHTLC (block mode), on the engine's fakes. */
import { describe, expect, it } from "vitest";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import type { OnchainVhtlcSpend } from "../../../src/swaps/ports/ark.js";
import type { StepContext } from "../../../src/swaps/context.js";
import { refundVhtlc } from "../../../src/swaps/reverse/claim-steps.js";
import { heldHtlcExpiry } from "../../../src/swaps/reverse/invoice-steps.js";
import type { OnchainSpendSeen } from "../../../src/swaps/onchain-watcher.js";
import { awaitOnchainRefund } from "../../../src/swaps/reverse/onchain-steps.js";
import { FakeChainSpends } from "../../fakes/chain-spends.js";
import { SECONDS_SETTINGS, heldSecondsSwap } from "./reverse-seconds-harness.js";

const UNROLLED_AT = 1_000;
const DELAY = 40n;

async function refunding() {
  const held = await heldSecondsSwap({
    id: "rev-onchain-refund",
    secondsLeft: 43_200n,
    cltvDelta: 155,
    payAtDelta: true,
  });
  const { ln, ark, built, paymentHash, chain } = held;
  const htlcExpiryHeight = heldHtlcExpiry(await ln.getInvoice(paymentHash));
  const funding = await ark.fund({
    script: built.script,
    amountSats: 10_000n,
    idempotencyKey: "rev-onchain-refund",
  });
  const swap = {
    ...held.swap,
    status: "refunding",
    htlcExpiryHeight,
    fundingOutpoint: funding.outpoint,
    fundingTxid: funding.arkTxid,
    unilateralRefundWithoutReceiverDelay: DELAY,
  } as unknown as ReverseSwap;
  const signed: OnchainVhtlcSpend[] = [];
  const sign = async (req: OnchainVhtlcSpend) => {
    signed.push(req);
    const fee = req.feeSats.toString(16).padStart(4, "0");
    return {
      txid: `${fee}${"ab".repeat(30)}`,
      hex: `02${fee}`,
      outputSats: req.amountSats - req.feeSats,
      vsize: 150,
    };
  };
  const chainPort = new FakeChainSpends({ publish: "record" }); // the stub signer returns placeholder bytes
  let seen: OnchainSpendSeen | undefined;
  const events: { event: string; data: unknown }[] = [];
  const ctx = {
    ...held.ctx,
    ark: Object.assign(Object.create(ark) as object, { signOnchainVhtlcSpend: sign }),
    settings: { ...SECONDS_SETTINGS, timeouts: { ...SECONDS_SETTINGS.timeouts, mode: "blocks" } },
    chain: chainPort,
    onchain: { seen: () => seen, unrolledAt: () => UNROLLED_AT },
    store: { events: async () => events, savePreimage: async () => undefined },
  } as unknown as StepContext;
  chain.height = UNROLLED_AT + 1;
  return {
    ctx,
    swap,
    chain,
    ln,
    paymentHash,
    signed,
    chainPort,
    events,
    setSeen: (s: OnchainSpendSeen) => (seen = s),
  };
}

describe("reverse: onchain refund of an unrolled, unclaimed VHTLC", () => {
  it("waits for the lone-sender CSV, then signs at LND's fee rate × vsize to an LND address; nothing is broadcast yet", async () => {
    const r = await refunding();
    r.chain.height = UNROLLED_AT + Number(DELAY) - 2;
    expect(await refundVhtlc(r.ctx, r.swap)).toBeUndefined();
    expect(r.signed).toEqual([]);
    r.chain.height += 1; // the refund is valid in the next block
    const outcome = await refundVhtlc(r.ctx, r.swap);
    expect(r.signed.map((s) => [s.leaf, s.feeSats, s.destinationScript, s.amountSats])).toEqual([
      ["unilateralRefundWithoutReceiver", 0n, r.chainPort.walletScript, 10_000n],
      ["unilateralRefundWithoutReceiver", 300n, r.chainPort.walletScript, 10_000n],
    ]);
    const txid = `012c${"ab".repeat(30)}`;
    expect(outcome).toEqual({
      event: "onchain_refund_signed",
      patch: { refundTxid: txid },
      data: {
        refundTxid: txid,
        rawTx: "02012c",
        feeSats: "300",
        outputSats: "9700",
        destinationScript: r.chainPort.walletScript,
      },
    });
    expect(r.chainPort.published).toEqual([]);
    expect(r.ln.holdState(r.paymentHash)).toBe("held");
  });

  it("refunding_onchain: broadcasts the stored tx on every run until it confirms, then cancels the hold invoice", async () => {
    const r = await refunding();
    const txid = `012c${"ab".repeat(30)}`;
    r.events.push({ event: "onchain_refund_signed", data: { rawTx: "02012c" } });
    const swap = { ...r.swap, status: "refunding_onchain", refundTxid: txid } as ReverseSwap;
    expect(await awaitOnchainRefund(r.ctx, swap)).toBeUndefined();
    expect(await awaitOnchainRefund(r.ctx, swap)).toBeUndefined();
    expect(r.chainPort.published).toEqual(["02012c", "02012c"]);
    expect(r.ln.holdState(r.paymentHash)).toBe("held");
    r.setSeen({ spendingTxid: txid, height: 1_041, preimage: undefined });
    expect(await awaitOnchainRefund(r.ctx, swap)).toEqual({
      event: "vhtlc_refunded",
      patch: { refundTxid: txid },
      data: { refundTxid: txid, height: 1_041, onchain: true },
    });
    expect(r.ln.holdState(r.paymentHash)).toBe("canceled");
    expect(r.chainPort.published).toHaveLength(2);
  });
});
