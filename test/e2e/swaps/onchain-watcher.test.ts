/**
 * The onchain watcher on the real stack (docs/onchain-watcher.md), with a real unilateral exit:
 * the VHTLC's funding chain (tree txs, checkpoint, Ark tx) broadcast to btcd from arkd's
 * presigned virtual txs, then the VHTLC spent onchain through a unilateral leaf. Every sat of
 * every party is checked.
 */
import { createHash, randomBytes } from "node:crypto";
import { hex } from "@scure/base";
import { p2tr } from "@scure/btc-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vhtlcFromWire } from "../../../src/cli/sandbox/swaps.js";
import { createSchnorrSigner } from "../../../src/ark/tx/index.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { lndOf, payInvoice } from "../helpers/lightning.js";
import { lnService } from "../../../src/regtest/ln-client.js";
import { waitFor } from "../../../src/regtest/process.js";
import { loadNetwork } from "../helpers/network.js";
import { confirmedHeight, unrollVtxo } from "../helpers/unroll.js";
import { bobHoldInvoice, scriptOf } from "./client-side.js";
import { openSwapWorld, type SwapWorld } from "./world.js";

const noop = (): void => undefined;
/** What the wallet pays the miners for its onchain claim (btcd relays any fee on regtest). */
const CLAIM_FEE = 1_000n;

/** A fresh P2TR destination nobody in the test network watches. */
function freshDestination(): string {
  return hex.encode(p2tr(createSchnorrSigner(randomBytes(32)).xOnlyPubkey).script);
}

/** The sats of output `vout` of a confirmed tx, as btcd has it. */
async function outputSats(
  w: SwapWorld,
  txid: string,
  vout: number,
): Promise<{ sats: bigint; script: string }> {
  const tx = await btcdOf(w.net).call<{ vout: { value: number; scriptPubKey: { hex: string } }[] }>(
    "getrawtransaction",
    [txid, 1],
  );
  const out = tx.vout[vout];
  if (out === undefined) throw new Error(`${txid} has no output ${vout}`);
  return { sats: BigInt(Math.round(out.value * 1e8)), script: out.scriptPubKey.hex };
}

/** alice's (the gateway's LND) confirmed onchain balance. */
async function aliceOnchain(w: SwapWorld): Promise<bigint> {
  const ln = lnService() as unknown as { getChainBalance(a: object): Promise<{ chain_balance: number }> };
  return BigInt((await ln.getChainBalance({ lnd: lndOf(w.net, "alice") })).chain_balance);
}

/** alice's onchain balance once it differs from `before` (LND counts a tx once it saw the block). */
async function aliceOnchainAfter(w: SwapWorld, before: bigint, what: string): Promise<bigint> {
  return waitFor(
    `LND to count ${what}`,
    30_000,
    async () => {
      const b = await aliceOnchain(w);
      return b !== before ? b : undefined;
    },
    300,
  );
}

/**
 * One block at a time so the gateway sees each height: while the tip is below `untilHeight`,
 * then only while the mempool holds something (a tx the gateway broadcast).
 */
async function mineStep(w: SwapWorld, untilHeight: number): Promise<void> {
  const tip = await btcdOf(w.net).height();
  if (tip < untilHeight) await mine(w.net, 1);
  else if ((await btcdOf(w.net).call<string[]>("getrawmempool")).length > 0) await mine(w.net, 1);
}

/** The confirmed tx that spends `txid:vout`, searched in the last `depth` blocks. */
async function spenderOf(w: SwapWorld, txid: string, vout: number, depth = 80) {
  const btcd = btcdOf(w.net);
  const tip = await btcd.height();
  for (let h = tip; h > tip - depth; h--) {
    const hash = await btcd.call<string>("getblockhash", [h]);
    const block = await btcd.call<{ tx: string[] }>("getblock", [hash, 1]);
    for (const id of block.tx) {
      const tx = await btcd.call<{
        txid: string;
        vin: { txid?: string; vout?: number }[];
        vout: { value: number; scriptPubKey: { hex: string } }[];
      }>("getrawtransaction", [id, 1]);
      if (tx.vin.some((i) => i.txid === txid && i.vout === vout)) return { ...tx, height: h };
    }
  }
  return undefined;
}

let w: SwapWorld;
beforeAll(async () => {
  w = await openSwapWorld(loadNetwork(), 100_000);
});
afterAll(async () => {
  await w?.close();
});

describe("onchain watcher (unilateral exits)", () => {
  it("reverse: the wallet unrolls the VHTLC and claims it onchain; the gateway reads the preimage from the witness and settles", async () => {
    const INVOICE = 30_000;
    const pairs = await w.api.call<{
      BTC: { ARK: { fees: { percentage: number; minerFees: { claim: number; lockup: number } } } };
    }>("GET", "/v2/swap/reverse");
    const f = pairs.BTC.ARK.fees;
    const expectedOnchain =
      BigInt(INVOICE) -
      BigInt(Math.ceil((INVOICE * f.percentage) / 100)) -
      BigInt(f.minerFees.claim + f.minerFees.lockup);
    const before = await w.balances();
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest("hex");
    const key = await w.client.wallet.swapKey(`e2e-onchain-rev-${Date.now()}`);
    const created = await w.api.createReverse(INVOICE, paymentHash, key.publicKey);
    expect(BigInt(created.onchainAmount)).toBe(expectedOnchain);

    const payment = payInvoice(w.net, "bob", created.invoice);
    payment.catch(noop);
    await w.api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop, {
      failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
    });
    const info = await w.client.wallet.serverInfo();
    const vhtlc = vhtlcFromWire({
      sender: created.refundPublicKey,
      receiver: key.publicKey,
      server: info.signerPubkey,
      paymentHash,
      timeouts: created.timeoutBlockHeights,
    });
    const [vtxo, ...more] = (await w.client.wallet.vtxosAt(scriptOf(created.lockupAddress))).filter(
      (v) => !v.isSpent,
    );
    expect(more).toHaveLength(0);
    expect(vtxo!.amountSats).toBe(expectedOnchain);
    const [txid, vout] = vtxo!.outpoint.split(":") as [string, string];

    // The wallet exits unilaterally: tree txs, the checkpoint and the funding Ark tx go onchain.
    const broadcast = await unrollVtxo(w.net, { txid, vout: Number(vout) });
    expect(broadcast.at(-1)).toBe(txid);
    const onchainAt = await confirmedHeight(w.net, txid);
    expect(onchainAt).toBeDefined();
    const vhtlcOut = await outputSats(w, txid, Number(vout));
    expect(vhtlcOut).toEqual({ sats: expectedOnchain, script: scriptOf(created.lockupAddress) });

    // The unilateral claim is valid in the block at onchainAt + delay (BIP-68).
    const delay = created.timeoutBlockHeights.unilateralClaim;
    const tip = await btcdOf(w.net).height();
    if (onchainAt! + delay - 1 > tip) await mine(w.net, onchainAt! + delay - 1 - tip);
    const destination = freshDestination();
    const claim = await w.client.wallet.signOnchainVhtlcSpend({
      vhtlc,
      keyIndex: key.index,
      leaf: "unilateralClaim",
      outpoint: { txid, vout: Number(vout) },
      amountSats: expectedOnchain,
      destinationScript: destination,
      feeSats: CLAIM_FEE,
      preimage: preimage.toString("hex"),
    });
    await btcdOf(w.net).call("sendrawtransaction", [claim.hex]);
    await mine(w.net, 1);
    expect(await confirmedHeight(w.net, claim.txid)).toBe(onchainAt! + delay);

    // The gateway learns the preimage only from the claim's witness and settles the hold invoice.
    await w.api.waitForStatus(created.id, ["invoice.settled"], noop, {
      failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
    });
    const paid = await payment;
    const after = await w.balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(BigInt(paid.fee_mtokens)).toBe(routingFeeMsat);
    expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
    // The client got the VHTLC onchain, less its own claim fee; its Ark balance did not move.
    expect(await outputSats(w, claim.txid, 0)).toEqual({
      sats: expectedOnchain - CLAIM_FEE,
      script: destination,
    });
    expect(after.client - before.client).toBe(0n);
    // The gateway's Ark holdings lost exactly the VHTLC (its change output was unrolled with the
    // funding Ark tx and stays listed by arkd; see docs/onchain-watcher.md).
    expect(after.gateway - before.gateway).toBe(-expectedOnchain);
  });

  it("reverse: a VHTLC unrolled by anyone and never claimed goes back to the gateway's LND wallet onchain after its CSV", async () => {
    const INVOICE = 25_000;
    // the first test's unroll put the gateway's change onchain too: the wallet no longer spends it
    await w.freshFunds(100_000);
    const before = await w.balances();
    const aliceChainBefore = await aliceOnchain(w);
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest("hex");
    const key = await w.client.wallet.swapKey(`e2e-onchain-refund-${Date.now()}`);
    const created = await w.api.createReverse(INVOICE, paymentHash, key.publicKey);
    const amount = BigInt(created.onchainAmount);
    const payment = payInvoice(w.net, "bob", created.invoice);
    payment.catch(noop);
    await w.api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop, {
      failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
    });
    const [vtxo] = (await w.client.wallet.vtxosAt(scriptOf(created.lockupAddress))).filter((v) => !v.isSpent);
    expect(vtxo!.amountSats).toBe(amount);
    const [txid, voutText] = vtxo!.outpoint.split(":") as [string, string];
    const vout = Number(voutText);

    // Anyone unrolls the VHTLC; nobody claims it.
    await unrollVtxo(w.net, { txid, vout });
    const onchainAt = (await confirmedHeight(w.net, txid))!;
    expect(onchainAt).toBeGreaterThan(0);

    // Blocks pass: refundLocktime, the HTLC deadline (the hold invoice is cancelled: bob's payment
    // fails), then the lone-sender CSV; the gateway refunds onchain and the swap ends refunded.
    const delay = created.timeoutBlockHeights.unilateralRefundWithoutReceiver;
    await w.waitForSwap(
      created.id,
      "the gateway's onchain refund",
      240_000,
      async () => {
        const { status } = await w.api.status(created.id);
        if (status === "transaction.refunded") return true;
        await mineStep(w, onchainAt + delay + 3);
        return undefined;
      },
      500,
    );
    await expect(payment).rejects.toBeDefined();

    const refund = await spenderOf(w, txid, vout);
    expect(refund).toBeDefined();
    expect(refund!.height).toBeGreaterThanOrEqual(onchainAt + delay);
    expect(refund!.vout).toHaveLength(1);
    const refundedSats = BigInt(Math.round(refund!.vout[0]!.value * 1e8));
    const feeSats = amount - refundedSats;
    expect(feeSats).toBeGreaterThan(0n);
    expect(feeSats).toBeLessThan(amount / 2n);
    // alice's wallet has the refund (LND counts it once it has seen the block)
    const aliceChainAfter = await aliceOnchainAfter(w, aliceChainBefore, "the refund");
    expect(aliceChainAfter - aliceChainBefore).toBe(refundedSats);

    const after = await w.balances();
    expect(after.bob).toBe(before.bob);
    expect(after.carol).toBe(before.carol);
    expect(after.alice).toBe(before.alice);
    expect(after.client).toBe(before.client);
    // the VHTLC left the gateway's Ark holdings and came back onchain, less the miner fee
    expect(after.gateway - before.gateway).toBe(-amount);
  });

  it("submarine: the wallet unrolls its funding VHTLC while the gateway's payment is in flight; the gateway claims it onchain with the preimage before the wallet's refund path opens", async () => {
    const INVOICE = 20_000;
    await w.freshFunds(100_000);
    const before = await w.balances();
    const aliceChainBefore = await aliceOnchain(w);
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest("hex");
    const hold = await bobHoldInvoice(w.net, INVOICE, paymentHash);
    const key = await w.client.wallet.swapKey(`e2e-onchain-sub-${Date.now()}`);
    const created = await w.api.createSubmarine(hold.request, key.publicKey);
    const amount = BigInt(created.expectedAmount);
    // Only coins whose batch outlives the VHTLC's refund: the world's first coins come from a batch
    // ~65-70 blocks before this swap (the tests above mine that much), so their sweep deadline can
    // fall within the gateway's margin of the refund locktime and it would refuse the funding
    // (batch_expiry_too_soon; this test once timed out on it waiting for bob's HTLC).
    const funded = await w.client.wallet.fund({
      script: scriptOf(created.address),
      amountSats: amount,
      idempotencyKey: created.id,
      minBatchExpiry: w.minBatchExpiry(created),
    });
    const [txid, voutText] = funded.outpoint.split(":") as [string, string];
    const vout = Number(voutText);

    // The gateway pays: bob holds its HTLC, so the payment stays in flight.
    const ln = lnService() as unknown as {
      getInvoice(a: object): Promise<{ is_held?: boolean; is_confirmed?: boolean }>;
      settleHodlInvoice(a: object): Promise<void>;
    };
    await w.waitForSwap(created.id, "bob to hold the gateway's HTLC", 120_000, async () =>
      (await ln.getInvoice({ lnd: lndOf(w.net, "bob"), id: paymentHash })).is_held === true
        ? true
        : undefined,
    );
    expect((await w.gateway.service.get(created.id)).status).toBe("paying");

    // Meanwhile the wallet exits unilaterally with its funding VHTLC; then bob settles.
    const broadcast = await unrollVtxo(w.net, { txid, vout });
    expect(broadcast.at(-1)).toBe(txid);
    const onchainAt = (await confirmedHeight(w.net, txid))!;
    expect(await outputSats(w, txid, vout)).toEqual({ sats: amount, script: scriptOf(created.address) });
    // arkd marks the VTXO unrolled once it has processed the block (until then it would still
    // co-sign an offchain claim of it: see docs/onchain-watcher.md); then bob settles.
    await w.waitForSwap(created.id, "arkd to see the unroll", 60_000, async () => {
      const listed = (await w.client.wallet.vtxosAt(scriptOf(created.address))).find(
        (v) => v.outpoint === funded.outpoint,
      );
      return listed?.isUnrolled === true ? true : undefined;
    });
    await ln.settleHodlInvoice({ lnd: lndOf(w.net, "bob"), secret: preimage.toString("hex") });

    // Blocks pass one by one: the gateway's claim is valid at onchainAt + unilateralClaim, long
    // before the wallet's lone refund (onchainAt + unilateralRefundWithoutReceiver). The gateway
    // is restarted once its signed claim is stored (claiming_onchain).
    const claimDelay = created.timeoutBlockHeights.unilateralClaim;
    const refundDelay = created.timeoutBlockHeights.unilateralRefundWithoutReceiver;
    expect(claimDelay).toBeLessThan(refundDelay);
    const statuses = new Set<string>();
    await w.waitForSwap(
      created.id,
      "the gateway's onchain claim",
      240_000,
      async () => {
        const swap = await w.gateway.service.get(created.id);
        if (swap.status === "claiming_onchain" && !statuses.has("claiming_onchain")) {
          // a restart with the signed claim stored: the new process broadcasts it again
          statuses.add(swap.status);
          await w.restartGateway();
          return undefined;
        }
        statuses.add(swap.status);
        if (swap.status === "claimed") return true;
        expect(["paying", "paid", "claiming", "claiming_onchain"]).toContain(swap.status);
        await mineStep(w, onchainAt + claimDelay + 2);
        return undefined;
      },
      500,
    );
    expect(statuses).toContain("claiming_onchain");
    const swap = await w.gateway.service.get(created.id);
    expect(await w.api.status(created.id)).toMatchObject({ status: "transaction.claimed" });

    // The claim: the VHTLC's one input, one output to alice's wallet, mined before the refund path.
    const claim = await spenderOf(w, txid, vout);
    expect(claim).toBeDefined();
    expect(swap.type === "submarine" && swap.claimTxid).toBe(claim!.txid);
    expect(claim!.height).toBeGreaterThanOrEqual(onchainAt + claimDelay);
    expect(claim!.height).toBeLessThan(onchainAt + refundDelay);
    expect(claim!.vout).toHaveLength(1);
    const claimedSats = BigInt(Math.round(claim!.vout[0]!.value * 1e8));
    const feeSats = amount - claimedSats;
    expect(feeSats).toBeGreaterThan(0n);
    expect(feeSats).toBeLessThan(amount / 10n);
    const aliceChainAfter = await aliceOnchainAfter(w, aliceChainBefore, "the claim");
    expect(aliceChainAfter - aliceChainBefore).toBe(claimedSats);

    // Lightning: bob got the invoice, alice paid it and the routing fee, carol earned the fee.
    const after = await w.balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(routingFeeMsat).toBeGreaterThanOrEqual(0n);
    expect(swap.type === "submarine" && swap.paymentFeeMsat).toBe(routingFeeMsat);
    expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
    expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    // Ark: the client's lockup left it (its change, unrolled with it, stays listed); the gateway's
    // Ark holdings did not move: it was paid onchain.
    expect(after.client - before.client).toBe(-amount);
    expect(after.gateway).toBe(before.gateway);
  });
});
