/** The VHTLC chain watcher (both flows) over a fake ChainSpendPort. */
import { hex } from "@scure/base";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildVhtlcUnilateralSpend } from "../../../src/ark/tx/index.js";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import { lnError } from "../../../src/lightning/errors.js";
import { FakeChainSpends } from "../../fakes/chain-spends.js";
import { OnchainWatcher, reverseWatchTarget, spendHeightHint } from "../../../src/swaps/onchain-watcher.js";
import { vhtlcFixture } from "../ark/tx/vhtlc-fixture.js";

const settle = () => new Promise((r) => setTimeout(r, 5));

function setup() {
  const f = vhtlcFixture();
  const outpoint = { txid: f.vtxo.txid, vout: f.vtxo.vout };
  const swap = {
    id: "rev-1",
    type: "reverse",
    status: "funded",
    paymentHash: hex.encode(f.paymentHash),
    lockupScript: hex.encode(f.vhtlc.pkScript),
    fundingOutpoint: `${outpoint.txid}:${outpoint.vout}`,
    htlcExpiryHeight: 1_000n,
    holdInvoiceCltvDelta: 47n,
  } as unknown as ReverseSwap;
  const claim = buildVhtlcUnilateralSpend({
    vhtlc: f.vhtlc,
    leaf: "unilateralClaim",
    outpoint,
    amountSats: f.vtxo.amountSats,
    destinationScript: Uint8Array.of(0x51, 0x20, ...new Uint8Array(32).fill(3)),
    feeSats: 500n,
    key: f.receiver.priv,
    preimage: f.preimage,
  });
  const chain = new FakeChainSpends();
  const hints: string[] = [];
  const watcher = new OnchainWatcher(chain, pino({ level: "silent" }), (id: string) => hints.push(id));
  const ensure = (s: ReverseSwap): void => {
    const target = reverseWatchTarget(s);
    if (target !== undefined) watcher.watch(target);
  };
  return { f, swap, claim, chain, hints, watcher, ensure };
}

describe("OnchainWatcher", () => {
  it("watches the funding outpoint at the VHTLC script once; a confirmed claim yields the preimage and a hint", async () => {
    const { f, swap, claim, chain, hints, watcher, ensure } = setup();
    ensure(swap);
    ensure(swap);
    expect(chain.requests).toEqual([
      {
        outpoint: { txid: f.vtxo.txid, vout: f.vtxo.vout },
        pkScript: swap.lockupScript,
        heightHint: 1_000 - 47 - 144,
      },
    ]);
    expect(watcher.seen(swap.fundingOutpoint!)).toBeUndefined();
    chain.streams[0]!.push({ spendingTxid: claim.txid, rawTx: claim.hex, inputIndex: 0, height: 812 });
    chain.streams[0]!.end();
    await settle();
    expect(watcher.seen(swap.fundingOutpoint!)).toEqual({
      spendingTxid: claim.txid,
      height: 812,
      preimage: hex.encode(f.preimage),
    });
    expect(hints).toEqual([swap.id]);
    ensure(swap); // seen: no new subscription
    expect(chain.requests).toHaveLength(1);
  });

  it("watches the funding Ark tx's confirmation: unrolledAt is its height, and a hint", async () => {
    const { f, swap, chain, hints, watcher, ensure } = setup();
    ensure(swap);
    ensure(swap);
    expect(chain.confirmationRequests).toEqual([
      { txid: f.vtxo.txid, pkScript: swap.lockupScript, heightHint: 1_000 - 47 - 144 },
    ]);
    expect(watcher.unrolledAt(swap.fundingOutpoint!)).toBeUndefined();
    chain.confirmationStreams[0]!.push({ height: 805 });
    chain.confirmationStreams[0]!.end();
    await settle();
    expect(watcher.unrolledAt(swap.fundingOutpoint!)).toBe(805);
    expect(hints).toEqual([swap.id]);
    ensure(swap);
    expect(chain.confirmationRequests).toHaveLength(1);
    watcher.drop(swap.id);
    expect(watcher.unrolledAt(swap.fundingOutpoint!)).toBeUndefined();
  });

  it("a dropped stream is forgotten so the next reconciliation subscribes again; drop() forgets what was seen", async () => {
    const { swap, claim, chain, watcher, ensure } = setup();
    ensure(swap);
    chain.streams[0]!.fail(lnError("ln.unavailable", "gone"));
    await settle();
    ensure(swap);
    expect(chain.requests).toHaveLength(2);
    chain.streams[1]!.push({ spendingTxid: claim.txid, rawTx: claim.hex, inputIndex: 0, height: 812 });
    await settle();
    expect(watcher.seen(swap.fundingOutpoint!)?.spendingTxid).toBe(claim.txid);
    watcher.drop(swap.id);
    expect(watcher.seen(swap.fundingOutpoint!)).toBeUndefined();
  });

  it("a refund-path spend is seen without a preimage; swaps not yet funded are not watched", async () => {
    const { f, swap, chain, watcher, ensure } = setup();
    ensure({ ...swap, id: "rev-2", fundingOutpoint: null } as ReverseSwap);
    expect(chain.requests).toEqual([]);
    const refund = buildVhtlcUnilateralSpend({
      vhtlc: f.vhtlc,
      leaf: "unilateralRefundWithoutReceiver",
      outpoint: { txid: f.vtxo.txid, vout: f.vtxo.vout },
      amountSats: f.vtxo.amountSats,
      destinationScript: Uint8Array.of(0x51, 0x20, ...new Uint8Array(32).fill(3)),
      feeSats: 500n,
      key: f.sender.priv,
    });
    ensure(swap);
    chain.streams[0]!.push({ spendingTxid: refund.txid, rawTx: refund.hex, inputIndex: 0, height: 900 });
    await settle();
    expect(watcher.seen(swap.fundingOutpoint!)).toEqual({
      spendingTxid: refund.txid,
      height: 900,
      preimage: undefined,
    });
  });

  it("height hint: below the HTLC's arrival by a margin, never below 1", () => {
    expect(spendHeightHint({ htlcExpiryHeight: 500n, holdInvoiceCltvDelta: 47n })).toBe(309);
    expect(spendHeightHint({ htlcExpiryHeight: 100n, holdInvoiceCltvDelta: 47n })).toBe(1);
    expect(spendHeightHint({ htlcExpiryHeight: null, holdInvoiceCltvDelta: 47n })).toBe(1);
  });
});
