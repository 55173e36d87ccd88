/**
 * The submarine claim of a VHTLC the wallet unrolled after the gateway paid (block mode): the
 * claim step on stub ports, one funding VTXO or two (one still offchain).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { SubmarineSwap } from "../../../src/domain/swap-records.js";
import type { OnchainVhtlcSpend, ScriptVtxo } from "../../../src/swaps/ports/ark.js";
import type { SwapEvent } from "../../../src/swaps/ports/swap-store.js";
import type { StepContext } from "../../../src/swaps/context.js";
import type { OnchainSpendSeen, OnchainWatchTarget } from "../../../src/swaps/onchain-watcher.js";
import { claimVhtlc } from "../../../src/swaps/submarine/claim-steps.js";
import { claimWatchHint } from "../../../src/swaps/submarine/onchain-claim-steps.js";
import { SUBMARINE_TABLE } from "../../../src/swaps/submarine/transitions.js";
import { FakeChainSpends } from "../../fakes/chain-spends.js";
import { preimagePair, pubkeyFor, randomTxid } from "../../fakes/keys.js";

const UNROLLED_AT = 700;
const CLAIM_DELAY = 20n;
const STARTED_AT = 650;

function vtxo(outpoint: string, over: Partial<ScriptVtxo> = {}): ScriptVtxo {
  return {
    outpoint,
    amountSats: 25_000n,
    script: "5120" + "aa".repeat(32),
    expiresAt: 10_000n,
    isSpent: false,
    spentByArkTxid: undefined,
    isSwept: false,
    isUnrolled: false,
    ...over,
  };
}

function world(fundingCount = 1) {
  const { preimage, paymentHash } = preimagePair();
  const outpoints = Array.from({ length: fundingCount }, () => `${randomTxid()}:0`);
  const swap = {
    id: "sub-onchain",
    type: "submarine",
    status: "claiming",
    paymentHash,
    lockupScript: "5120" + "aa".repeat(32),
    fundingOutpoints: outpoints,
    expectedAmountSats: 25_000n * BigInt(fundingCount),
    senderPubkey: pubkeyFor("wallet"),
    receiverPubkey: pubkeyFor("gateway-swap-0"),
    serverPubkey: pubkeyFor("server"),
    refundLocktime: 900n,
    unilateralClaimDelay: CLAIM_DELAY,
    unilateralRefundDelay: 30n,
    unilateralRefundWithoutReceiverDelay: 40n,
  } as unknown as SubmarineSwap;
  const vtxos = new Map(outpoints.map((o) => [o, vtxo(o)]));
  const signed: OnchainVhtlcSpend[] = [];
  const offchainClaims: string[][] = [];
  const watched: OnchainWatchTarget[] = [];
  const seen = new Map<string, OnchainSpendSeen>();
  const unrolled = new Map<string, number>();
  const events: SwapEvent[] = [
    {
      id: 1n,
      swapId: swap.id,
      fromStatus: "funded",
      toStatus: "paying",
      event: "payment_started",
      data: { height: STARTED_AT },
      createdAt: new Date(),
    },
  ];
  const chainPort = new FakeChainSpends({ publish: "record" }); // the stub signer returns placeholder bytes
  let height = UNROLLED_AT + 1;
  const ark = {
    vtxosAt: async () => [...vtxos.values()],
    swapKey: async () => ({ index: 0, publicKey: swap.receiverPubkey }),
    claimVhtlc: async (req: { vtxos: readonly ScriptVtxo[] }) => {
      offchainClaims.push(req.vtxos.map((v) => v.outpoint));
      return { arkTxid: "c1".repeat(32) };
    },
    signOnchainVhtlcSpend: async (req: OnchainVhtlcSpend) => {
      signed.push(req);
      const fee = req.feeSats.toString(16).padStart(4, "0");
      return {
        txid: `${fee}${"cd".repeat(30)}`,
        hex: `02${fee}`,
        outputSats: req.amountSats - req.feeSats,
        vsize: 140,
      };
    },
  };
  const ctx = {
    ark,
    ln: { getHeight: async () => height },
    clock: { now: () => new Date() },
    settings: { timeouts: { mode: "blocks" } },
    log: pino({ level: "silent" }),
    store: { findPreimage: async () => preimage, events: async () => events },
    chain: chainPort,
    onchain: {
      watch: (t: OnchainWatchTarget) => void watched.push(t),
      seen: (o: string) => seen.get(o),
      unrolledAt: (o: string) => unrolled.get(o),
    },
  } as unknown as StepContext;
  const record = (event: string, data: unknown): void => {
    events.push({
      id: BigInt(events.length + 1),
      swapId: swap.id,
      fromStatus: null,
      toStatus: "claiming_onchain",
      event,
      data,
      createdAt: new Date(),
    });
  };
  return {
    ctx,
    swap,
    preimage,
    outpoints,
    vtxos,
    signed,
    offchainClaims,
    watched,
    seen,
    unrolled,
    chainPort,
    record,
    setHeight: (h: number) => (height = h),
  };
}

describe("submarine: onchain claim of an unrolled VHTLC", () => {
  it("watches every funding VTXO from the payment's height; waits for the unroll's height and the CSV, then signs at LND's rate × vsize to an LND address, broadcasting nothing yet", async () => {
    const w = world();
    const [op] = w.outpoints as [string];
    w.vtxos.set(op, vtxo(op, { isUnrolled: true }));
    expect(await claimVhtlc(w.ctx, w.swap)).toBeUndefined(); // the unroll's height not known yet
    expect(w.watched).toEqual([
      {
        swapId: w.swap.id,
        outpoint: op,
        pkScript: w.swap.lockupScript,
        paymentHash: w.swap.paymentHash,
        heightHint: STARTED_AT - 144,
      },
    ]);
    w.unrolled.set(op, UNROLLED_AT);
    w.setHeight(UNROLLED_AT + Number(CLAIM_DELAY) - 2);
    expect(await claimVhtlc(w.ctx, w.swap)).toBeUndefined();
    expect(w.signed).toEqual([]);
    w.setHeight(UNROLLED_AT + Number(CLAIM_DELAY) - 1); // valid in the next block
    const outcome = await claimVhtlc(w.ctx, w.swap);
    expect(
      w.signed.map((s) => [s.leaf, s.feeSats, s.amountSats, s.destinationScript, s.preimage, s.outpoint]),
    ).toEqual([
      [
        "unilateralClaim",
        0n,
        25_000n,
        w.chainPort.walletScript,
        w.preimage,
        { txid: op.split(":")[0], vout: 0 },
      ],
      [
        "unilateralClaim",
        280n,
        25_000n,
        w.chainPort.walletScript,
        w.preimage,
        { txid: op.split(":")[0], vout: 0 },
      ],
    ]);
    const txid = `0118${"cd".repeat(30)}`;
    expect(outcome).toEqual({
      event: "onchain_claim_signed",
      patch: { claimTxid: txid },
      data: {
        outpoint: op,
        claimTxid: txid,
        rawTx: "020118",
        feeSats: "280",
        outputSats: "24720",
        destinationScript: w.chainPort.walletScript,
        unrolledAt: UNROLLED_AT,
      },
    });
    expect(w.chainPort.published).toEqual([]);
    expect(w.offchainClaims).toEqual([]);
  });

  it("claiming_onchain: re-broadcasts the stored claim on every run (even when the indexer lists the VTXO as spent) until a spend revealing the preimage confirms → claim_confirmed", async () => {
    const w = world();
    const [op] = w.outpoints as [string];
    const txid = `0118${"cd".repeat(30)}`;
    w.record("onchain_claim_signed", { outpoint: op, claimTxid: txid, rawTx: "020118" });
    w.vtxos.set(op, vtxo(op, { isSpent: true }));
    const swap = { ...w.swap, status: "claiming_onchain", claimTxid: txid } as SubmarineSwap;
    expect(await claimVhtlc(w.ctx, swap)).toBeUndefined();
    expect(await claimVhtlc(w.ctx, swap)).toBeUndefined();
    expect(w.chainPort.published).toEqual(["020118", "020118"]);
    w.seen.set(op, { spendingTxid: txid, height: UNROLLED_AT + 21, preimage: w.preimage });
    expect(await claimVhtlc(w.ctx, swap)).toEqual({
      event: "claim_confirmed",
      patch: { claimTxid: txid },
      data: { claimTxid: txid, claimTxids: [txid], onchain: true },
    });
    expect(w.chainPort.published).toHaveLength(2);
    expect(w.signed).toEqual([]);
  });

  it("a spend of the unrolled VHTLC without the preimage (the wallet's lone refund) is a loss: claim_lost", async () => {
    const w = world();
    const [op] = w.outpoints as [string];
    w.vtxos.set(op, vtxo(op, { isUnrolled: true }));
    w.unrolled.set(op, UNROLLED_AT);
    const refund = "ef".repeat(32);
    w.seen.set(op, { spendingTxid: refund, height: UNROLLED_AT + 40, preimage: undefined });
    const outcome = await claimVhtlc(w.ctx, { ...w.swap, status: "claiming_onchain" } as SubmarineSwap);
    expect(outcome).toMatchObject({ event: "claim_lost", data: { spentBy: refund } });
    expect(w.signed).toEqual([]);
  });

  it("two funding VTXOs, one unrolled: the live one is claimed offchain, the other onchain; claimed only once both are", async () => {
    const w = world(2);
    const [live, out] = w.outpoints as [string, string];
    w.vtxos.set(out, vtxo(out, { isUnrolled: true }));
    w.unrolled.set(out, UNROLLED_AT);
    w.setHeight(UNROLLED_AT + Number(CLAIM_DELAY));
    const signedOutcome = await claimVhtlc(w.ctx, w.swap);
    expect(w.offchainClaims).toEqual([[live]]);
    expect(signedOutcome?.event).toBe("onchain_claim_signed");
    const data = signedOutcome?.data as { claimTxid: string; rawTx: string };
    w.record("onchain_claim_signed", { outpoint: out, claimTxid: data.claimTxid, rawTx: data.rawTx });
    const swap = { ...w.swap, status: "claiming_onchain" } as SubmarineSwap;
    expect(await claimVhtlc(w.ctx, swap)).toBeUndefined();
    expect(w.chainPort.published).toEqual([data.rawTx]);
    w.seen.set(out, { spendingTxid: data.claimTxid, height: UNROLLED_AT + 21, preimage: w.preimage });
    expect(await claimVhtlc(w.ctx, swap)).toEqual({
      event: "claim_confirmed",
      patch: { claimTxid: data.claimTxid },
      data: { claimTxid: data.claimTxid, claimTxids: ["c1".repeat(32), data.claimTxid], onchain: true },
    });
  });

  it("nothing unrolled: the offchain claim as before, no onchain action", async () => {
    const w = world();
    expect(await claimVhtlc(w.ctx, w.swap)).toEqual({
      event: "claim_confirmed",
      patch: { claimTxid: "c1".repeat(32) },
      data: { claimTxid: "c1".repeat(32) },
    });
    expect(w.signed).toEqual([]);
    expect(w.chainPort.published).toEqual([]);
  });

  it("the watch hint: the payment's height less 144 blocks, never below 1; 1 without a recorded height", () => {
    const ev = (data: unknown): SwapEvent => ({
      id: 1n,
      swapId: "s",
      fromStatus: "funded",
      toStatus: "paying",
      event: "payment_started",
      data,
      createdAt: new Date(),
    });
    expect(claimWatchHint([ev({ height: 1_000 })])).toBe(856);
    expect(claimWatchHint([ev({ height: 100 })])).toBe(1);
    expect(claimWatchHint([ev({ lnd: "in_flight" })])).toBe(1);
    expect(claimWatchHint([])).toBe(1);
  });

  it("the table: claiming → claiming_onchain on a signed claim; from there claimed or claim_lost", () => {
    const to = (from: string, event: string) =>
      SUBMARINE_TABLE.transitions.find((t) => t.from === from && t.event === event)?.to;
    expect(to("claiming", "onchain_claim_signed")).toBe("claiming_onchain");
    expect(to("claiming_onchain", "onchain_claim_signed")).toBe("claiming_onchain");
    expect(to("claiming_onchain", "claim_confirmed")).toBe("claimed");
    expect(to("claiming_onchain", "claim_lost")).toBe("claim_lost");
    expect(to("paid", "onchain_claim_signed")).toBeUndefined();
  });
});
