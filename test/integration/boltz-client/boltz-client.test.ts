/**
 * The gateway against the real client library, `@arkade-os/boltz-swap` 0.2.20, driven only
 * through its public API (ArkadeLightning, BoltzSwapProvider) with the SDK's Wallet as the
 * user's wallet. Real: the gateway (createGateway, engine, Postgres, HTTP + WebSocket API, its
 * Ark wallet, tx core and VHTLC code), the client library and the SDK. Fake: LND (the engine's
 * fake behind real BOLT11 strings) and arkd (the faithful in-memory fake both sides share).
 * Not an end-to-end test: no real arkd, LND or chain.
 */
import { randomBytes } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  NetworkError,
  TransactionFailedError,
  decodeInvoice,
  type BoltzSwapStatus,
  type PendingReverseSwap,
  type PendingSubmarineSwap,
} from "@arkade-os/boltz-swap";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { pubkeyFor } from "../../fakes/keys.js";
import { FEES, LIMITS, scriptOf, startClientWorld, type ClientWorld } from "./client-world.js";

const schema = `t_boltz_client_${randomBytes(4).toString("hex")}`;
let world: ClientWorld;
/** The gateway's own database (its schema): the internal status clients never see. */
let gatewayDb: Database;

beforeAll(async () => {
  world = await startClientWorld(inject("databaseUrl"), schema);
  gatewayDb = createDatabase({ connectionString: inject("databaseUrl"), schema });
});

afterAll(async () => {
  await world?.stop();
  await gatewayDb?.close();
  const database = createDatabase({ connectionString: inject("databaseUrl") });
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  await database.close();
});

/** The gateway's stored submarine swap: internal status, refund txid and what it was refunded from. */
async function gatewaySubmarine(id: string) {
  return gatewayDb.db
    .selectFrom("swaps")
    .innerJoin("submarine_swaps", "submarine_swaps.swap_id", "swaps.id")
    .select(["swaps.status", "submarine_swaps.refund_txid", "submarine_swaps.refunded_from"])
    .where("swaps.id", "=", id)
    .executeTakeFirstOrThrow();
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

async function storedSwap(id: string): Promise<PendingSubmarineSwap | PendingReverseSwap> {
  const found = (await world.lightning.getSwapHistory()).find((s) => s.id === id);
  if (found === undefined) throw new Error(`the client stored no swap ${id}`);
  return found;
}

function xOnly(compressedHex: string): string {
  return compressedHex.slice(2);
}

const submarineFee = (sats: number) =>
  Math.ceil((sats * Number(FEES.submarine.percent)) / 100) + FEES.submarine.baseSats;
const reverseFee = (sats: number) =>
  Math.ceil((sats * Number(FEES.reverse.percent)) / 100) + FEES.reverse.baseSats;

describe("wire compatibility with @arkade-os/boltz-swap (fake LN/Ark ports, not e2e)", () => {
  const created: { submarine: PendingSubmarineSwap[]; reverse: PendingReverseSwap[] } = {
    submarine: [],
    reverse: [],
  };
  const preimages = new Map<string, string>();

  it("getFees / getLimits parse our pairs with the configured fees and limits", async () => {
    expect(await world.lightning.getFees()).toEqual({
      submarine: { percentage: 0.1, minerFees: 5 },
      reverse: { percentage: 0.25, minerFees: { lockup: 7, claim: 0 } },
    });
    expect(await world.swapProvider.getLimits()).toEqual({ min: LIMITS.minSats, max: LIMITS.maxSats });
    expect(world.swapProvider.getWsUrl()).toBe(world.gateway.http?.wsUrl);
  });

  it("submarine: create → the client's VHTLC rebuild matches → wallet funds → WebSocket to transaction.claimed → preimage", async () => {
    const payee = world.ln.addExternalInvoice({ amountSats: 50_000n });
    const swap = await world.lightning.createSubmarineSwap({ invoice: payee.bolt11 });
    created.submarine.push(swap);
    const r = swap.response;
    expect(r.expectedAmount).toBe(50_000 + submarineFee(50_000));
    expect(r.acceptZeroConf).toBe(true);
    expect(r.timeoutBlockHeights.refund).toBeGreaterThan(world.chain.height);
    for (const delay of [
      r.timeoutBlockHeights.unilateralClaim,
      r.timeoutBlockHeights.unilateralRefund,
      r.timeoutBlockHeights.unilateralRefundWithoutReceiver,
    ])
      expect(delay).toBeGreaterThan(0);

    // The client's own VHTLC construction from our keys and timeouts gives our address.
    const info = await world.arkd.getInfo();
    const { vhtlcAddress } = world.lightning.createVHTLCScript({
      network: "regtest",
      preimageHash: hex.decode(payee.paymentHash),
      receiverPubkey: r.claimPublicKey,
      senderPubkey: hex.encode(await world.walletKey.xOnlyPublicKey()),
      serverPubkey: info.signerPubkey,
      timeoutBlockHeights: r.timeoutBlockHeights,
    });
    expect(vhtlcAddress).toBe(r.address);

    // Status over the client's WebSocket monitor, from before the funding to the end.
    const statuses: BoltzSwapStatus[] = [];
    const monitored = world.swapProvider.monitorSwap(swap.id, (s) => statuses.push(s));
    await eventually(
      async () => statuses.length,
      (n) => n > 0,
      "the first WebSocket update",
    );
    expect(statuses).toEqual(["invoice.set"]);

    const before = await world.walletSats();
    const gatewayBefore = (await world.gateway.walletSummary()).spendableSats;
    // The SDK wallet pays the VHTLC address offchain (an ark tx the fake arkd checks and co-signs).
    await world.wallet.sendBitcoin({ address: r.address, amount: r.expectedAmount });
    const settled = await world.lightning.waitForSwapSettlement(swap);
    await monitored;

    expect(settled.preimage).toBe(payee.preimage);
    // Every step once, in Boltz's order (the client treats each update as news).
    expect(statuses).toEqual([
      "invoice.set",
      "transaction.mempool",
      "transaction.confirmed",
      "invoice.pending",
      "invoice.paid",
      "transaction.claim.pending",
      "transaction.claimed",
    ]);
    expect(await world.swapProvider.getSwapStatus(swap.id)).toMatchObject({ status: "transaction.claimed" });
    expect(await world.swapProvider.getSwapPreimage(swap.id)).toEqual({ preimage: payee.preimage });
    expect(await storedSwap(swap.id)).toMatchObject({
      status: "transaction.claimed",
      preimage: payee.preimage,
    });
    // Money: the wallet paid expectedAmount, the VHTLC was claimed (spent) by the gateway.
    expect(await world.walletSats()).toBe(before - BigInt(r.expectedAmount));
    expect(await world.satsAt(r.address)).toBe(0n);
    expect((await world.gateway.walletSummary()).spendableSats).toBe(
      gatewayBefore + BigInt(r.expectedAmount),
    );
    const { vtxos } = await world.arkd.getVtxos({ scripts: [scriptOf(r.address)] });
    expect(vtxos.map((v) => [v.amountSats, v.flags.spent])).toEqual([[BigInt(r.expectedAmount), true]]);
    // LND was asked to pay exactly the payee's invoice, once.
    expect(
      world.ln.fake.payCalls.filter((c) => c.bolt11.includes(payee.paymentHash.slice(0, 16))),
    ).toHaveLength(1);
    preimages.set(swap.id, payee.preimage);
  });

  it("reverse: the client accepts our invoice, lockup address and timeouts, claims, and sees invoice.settled", async () => {
    const walletBefore = await world.walletSats();
    const gatewayBefore = (await world.gateway.walletSummary()).spendableSats;
    const inv = await world.lightning.createLightningInvoice({ amount: 40_000, description: "tip" });
    const swap = inv.pendingSwap;
    created.reverse.push(swap);
    const r = swap.response;
    expect(inv.paymentHash).toBe(hex.encode(sha256(hex.decode(inv.preimage))));
    expect(swap.request.preimageHash).toBe(inv.paymentHash);
    expect(decodeInvoice(r.invoice)).toMatchObject({ amountSats: 40_000, description: "tip" });
    expect(inv.amount).toBe(40_000 - reverseFee(40_000));
    expect(r.onchainAmount).toBe(inv.amount);
    expect(r.timeoutBlockHeights.refund).toBeGreaterThan(world.chain.height);

    // The client's own check (claimVHTLC refuses "Boltz is trying to scam us" on a mismatch).
    const info = await world.arkd.getInfo();
    const { vhtlcAddress } = world.lightning.createVHTLCScript({
      network: "regtest",
      preimageHash: hex.decode(inv.paymentHash),
      receiverPubkey: hex.encode(await world.walletKey.xOnlyPublicKey()),
      senderPubkey: r.refundPublicKey,
      serverPubkey: info.signerPubkey,
      timeoutBlockHeights: r.timeoutBlockHeights,
    });
    expect(vhtlcAddress).toBe(r.lockupAddress);
    expect((await world.swapProvider.getSwapStatus(swap.id)).status).toBe("swap.created");

    // waitAndClaim: WebSocket monitor → transaction.mempool → claimVHTLC (rebuild, address check,
    // claim ark tx with the preimage) → the gateway learns the preimage and settles → invoice.settled.
    const statuses: BoltzSwapStatus[] = [];
    const monitored = world.swapProvider.monitorSwap(swap.id, (s) => statuses.push(s));
    await eventually(
      async () => statuses.length,
      (n) => n > 0,
      "the first WebSocket update",
    );
    const claimed = world.lightning.waitAndClaim(swap);
    world.ln.fake.payHoldInvoice(inv.paymentHash);
    const { txid } = await claimed;
    await monitored;
    // Each status once, in order: a repeated transaction.mempool would make the client claim twice.
    expect(statuses).toEqual(["swap.created", "transaction.mempool", "invoice.settled"]);

    const lockup = await world.swapProvider.getReverseSwapTxId(swap.id);
    expect(txid).toBe(lockup.id);
    expect(lockup.timeoutBlockHeight).toBe(r.timeoutBlockHeights.refund);
    expect(world.ln.fake.holdState(inv.paymentHash)).toBe("settled");
    expect(world.ln.fake.settleCalls).toContain(inv.preimage);
    expect(await world.swapProvider.getSwapStatus(swap.id)).toMatchObject({ status: "invoice.settled" });
    expect(await storedSwap(swap.id)).toMatchObject({ status: "invoice.settled" });
    expect(await world.walletSats()).toBe(walletBefore + BigInt(r.onchainAmount));
    expect((await world.gateway.walletSummary()).spendableSats).toBe(gatewayBefore - BigInt(r.onchainAmount));
    const { vtxos } = await world.arkd.getVtxos({ scripts: [scriptOf(r.lockupAddress)] });
    expect(vtxos.map((v) => [v.outpoint.txid, v.amountSats, v.flags.spent])).toEqual([
      [lockup.id, BigInt(r.onchainAmount), true],
    ]);
  });

  it("failed payment: sendLightningPayment refunds through refund/ark (our co-signed PSBTs) and the wallet gets its sats back", async () => {
    const payee = world.ln.addExternalInvoice({ amountSats: 30_000n, behaviour: "fail" });
    const before = await world.walletSats();
    const err = await world.lightning.sendLightningPayment({ invoice: payee.bolt11 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The library reports the failed payment after refunding (refundVHTLC ran to the end).
    expect(err).toBeInstanceOf(TransactionFailedError);
    const swap = (await world.lightning.getSwapHistory()).find(
      (s): s is PendingSubmarineSwap => s.type === "submarine" && s.request.invoice === payee.bolt11,
    );
    expect(swap).toBeDefined();
    if (swap === undefined) return;
    created.submarine.push(swap);
    // sendLightningPayment stores the status it reads right after its refund (it re-saves the
    // swap without the refunded flag refundVHTLC had set: the library's own doing). The gateway
    // reports invoice.failedToPay before and after it sees the refund (a final status to 0.2.20).
    expect(swap.status).toBe("invoice.failedToPay");
    expect(swap.response.expectedAmount).toBe(30_000 + submarineFee(30_000));

    // The VHTLC was spent by the 3-of-3 refund back to the wallet: not a sat lost.
    expect(await world.walletSats()).toBe(before);
    expect(await world.satsAt(swap.response.address)).toBe(0n);
    // The gateway saw the refund spend the VHTLC (internal `refunded`, from payment_failed) and
    // keeps showing Boltz's failure status, with the refund as the transaction.
    const stored = await eventually(
      () => gatewaySubmarine(swap.id),
      (s) => s.status === "refunded",
      "the gateway's internal status refunded",
    );
    expect(stored).toMatchObject({ status: "refunded", refunded_from: "payment_failed" });
    expect(stored.refund_txid).toMatch(/^[0-9a-f]{64}$/);
    const status = await world.swapProvider.getSwapStatus(swap.id);
    expect(status).toMatchObject({ status: "invoice.failedToPay", transaction: { id: stored.refund_txid } });
    expect(
      world.ln.fake.payCalls.filter((c) => c.bolt11.includes(payee.paymentHash.slice(0, 16))),
    ).toHaveLength(1);

    // A second refund request for the spent VHTLC is refused with an API error, not a PSBT.
    await expect(world.lightning.refundVHTLC(swap)).rejects.toThrow(/already spent/);
  });

  it("restore by public key: the client parses every swap back with our ids, amounts, addresses and timeouts", async () => {
    const fees = await world.lightning.getFees();
    const restored = await world.lightning.restoreSwaps(fees);
    const subs = new Map(restored.submarineSwaps.map((s) => [s.id, s]));
    const revs = new Map(restored.reverseSwaps.map((s) => [s.id, s]));
    expect([...subs.keys()].sort()).toEqual(created.submarine.map((s) => s.id).sort());
    expect([...revs.keys()].sort()).toEqual(created.reverse.map((s) => s.id).sort());

    const pubkey = hex.encode(await world.walletKey.compressedPublicKey());
    for (const original of created.submarine) {
      const back = subs.get(original.id);
      expect(back?.response).toEqual({
        id: original.id,
        address: original.response.address,
        expectedAmount: original.response.expectedAmount,
        claimPublicKey: back?.response.claimPublicKey,
        timeoutBlockHeights: original.response.timeoutBlockHeights,
      });
      expect(xOnly(back?.response.claimPublicKey ?? "")).toBe(xOnly(original.response.claimPublicKey));
      expect(back?.request.refundPublicKey).toBe(pubkey);
      expect(back?.preimageHash).toBe(decodeInvoice(original.request.invoice).paymentHash);
    }
    const [claimedSub, refundedSub] = created.submarine;
    expect(subs.get(claimedSub?.id ?? "")).toMatchObject({
      status: "transaction.claimed",
      preimage: preimages.get(claimedSub?.id ?? ""),
    });
    expect(preimages.get(claimedSub?.id ?? "")).toMatch(/^[0-9a-f]{64}$/);
    // The refunded swap comes back with its failure status (the gateway refunded it: internal
    // `refunded`), and no preimage: 0.2.20 asks for one and is refused, nothing was paid.
    expect(subs.get(refundedSub?.id ?? "")).toMatchObject({ status: "invoice.failedToPay", preimage: "" });
    expect(await gatewaySubmarine(refundedSub?.id ?? "")).toMatchObject({
      status: "refunded",
      refunded_from: "payment_failed",
    });

    for (const original of created.reverse) {
      const back = revs.get(original.id);
      expect(back).toMatchObject({
        status: "invoice.settled",
        request: { claimPublicKey: pubkey, preimageHash: original.request.preimageHash },
        response: {
          id: original.id,
          onchainAmount: original.response.onchainAmount,
          lockupAddress: original.response.lockupAddress,
          timeoutBlockHeights: original.response.timeoutBlockHeights,
        },
      });
      expect(xOnly(back?.response.refundPublicKey ?? "")).toBe(xOnly(original.response.refundPublicKey));
    }
    // Someone else's key restores nothing.
    expect(await world.swapProvider.restoreSwaps(pubkeyFor("stranger"))).toEqual([]);
  });

  it("errors reach the client as NetworkError with our status and body (unknown swap, bad invoice)", async () => {
    const unknown = await world.swapProvider.getSwapStatus("doesnotexist").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(NetworkError);
    expect((unknown as NetworkError).statusCode).toBe(404);
    const bad = await world.lightning.createSubmarineSwap({ invoice: "lnbcrt1notaninvoice" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(NetworkError);
    expect((bad as NetworkError).statusCode).toBe(400);
    expect((bad as NetworkError).errorData).toMatchObject({ code: "request.invalid_invoice" });
  });
});
