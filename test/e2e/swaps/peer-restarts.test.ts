/**
 * Peers restarted in the middle of a swap, on the real stack: arkd, LND alice (the gateway's
 * node) and Postgres are each stopped and started again while a submarine and a reverse swap are
 * under way; both swaps then complete with every party's balance exactly where a swap without
 * restarts leaves it. The gateway itself keeps running through each restart (its streams and
 * pool reconnect; the reconciliation re-derives each swap).
 */
import { createHash, randomBytes } from "node:crypto";
import { vhtlcFromWire } from "../../../src/cli/sandbox/swaps.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARK_PROCESS_NAMES } from "../../../src/regtest/ark-stack-contract.js";
import { btcdHandle } from "../../../src/regtest/btcd.js";
import { startLnd, stopLnd } from "../../../src/regtest/lnd.js";
import { startArk } from "../../../src/regtest/network.js";
import { startPostgres, stopPostgres } from "../../../src/regtest/postgres.js";
import { stopProcess, waitFor } from "../../../src/regtest/process.js";
import { channelWith, createInvoice, payInvoice, resetLndClients } from "../helpers/lightning.js";
import { loadNetwork, testNetworkPaths } from "../helpers/network.js";
import { arkHoldings, scriptOf, unspentAt } from "./client-side.js";
import { openSwapWorld, type SwapWorld } from "./world.js";

let w: SwapWorld;
const paths = testNetworkPaths();
const noop = (): void => undefined;
const log = (line: string): void => console.log(`[peer-restart] ${line}`);

const RESTARTS: Record<string, () => Promise<void>> = {
  arkd: async () => {
    expect(await stopProcess(paths.runDir, ARK_PROCESS_NAMES.arkd)).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    await startArk(paths, log);
    // Our own client's channel reconnects within its 2 s backoff (src/ark/client/rpc-channel.ts).
    await waitFor(
      "the client's arkd channel",
      30_000,
      async () =>
        await w.client.wallet.rescan().then(
          () => true,
          () => undefined,
        ),
    );
  },
  "LND alice": async () => {
    expect(await stopLnd(paths.runDir, "alice")).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    await startLnd(paths.dataDir, paths.runDir, "alice", btcdHandle(paths.dataDir), log);
    resetLndClients();
    // Until alice's channel to carol is active again LND answers a payment with "insufficient
    // balance", a definite failure the gateway turns into the refund path (tested elsewhere).
    await waitFor("alice↔carol active again", 120_000, async () =>
      (await channelWith(w.net, "alice", "carol")).is_active ? true : undefined,
    );
  },
  Postgres: async () => {
    expect(await stopPostgres(paths.runDir)).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    await startPostgres(paths.dataDir, paths.runDir, log);
  },
};

beforeAll(async () => {
  w = await openSwapWorld(loadNetwork(), 60_000, { engine: { reconcileIntervalMs: 1_000 } });
});
afterAll(async () => {
  await w?.close();
});

describe.each(Object.keys(RESTARTS))("%s restarted mid-swap", (peer) => {
  it("a funded submarine swap still pays once and is claimed; every sat accounted for", async () => {
    const INVOICE = 8_000;
    await w.freshFunds(20_000);
    const before = await w.balances();
    const invoice = await createInvoice(w.net, "bob", INVOICE, `restart ${peer}`);
    const key = await w.client.wallet.swapKey(`restart-sub-${peer}-${Date.now()}`);
    const created = await w.api.createSubmarine(invoice.request, key.publicKey);
    // LND is restarted before the lockup (a restart while the payment is in flight may fail it,
    // which ends in the refund path, covered elsewhere); arkd and Postgres right after it.
    if (peer === "LND alice") await RESTARTS[peer]!();
    await w.client.wallet.fund({
      script: scriptOf(created.address),
      amountSats: BigInt(created.expectedAmount),
      idempotencyKey: created.id,
    });
    if (peer !== "LND alice") await RESTARTS[peer]!();
    await waitFor(`${peer}: the swap claimed`, 180_000, async () =>
      (await w.api.status(created.id).catch(() => undefined))?.status === "transaction.claimed"
        ? true
        : undefined,
    );
    // When the restart cuts off the claim's FinalizeTx, arkd already lists the funding VTXO spent
    // by the claim while the claim's output appears only once the gateway's recovery finalizes it
    // (docs/real-arkd.md): wait until the indexer shows the gateway's holdings move, then check
    // every sat (a claim never finalized times out here).
    await waitFor("the indexer to list the gateway's claim", 60_000, async () =>
      (await arkHoldings(w.gateway.wallet!)) !== before.gateway ? true : undefined,
    );
    const after = await w.balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
    expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.client - before.client).toBe(-BigInt(created.expectedAmount));
    expect(after.gateway - before.gateway).toBe(BigInt(created.expectedAmount));
  });

  it("a paid reverse swap is still funded, claimed and settled; every sat accounted for", async () => {
    const INVOICE = 9_000;
    await w.freshFunds(20_000);
    const before = await w.balances();
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest("hex");
    const key = await w.client.wallet.swapKey(`restart-rev-${peer}-${Date.now()}`);
    const created = await w.api.createReverse(INVOICE, paymentHash, key.publicKey);
    const payment = payInvoice(w.net, "bob", created.invoice);
    payment.catch(noop);
    // Restarted while bob's HTLC is held at alice and the VHTLC is funded: the hold invoice must
    // survive (LND persists it) and be settled once the wallet claims.
    await w.api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop, {
      failing: ["transaction.failed", "invoice.expired", "swap.expired"],
    });
    await RESTARTS[peer]!();
    const info = await w.client.wallet.serverInfo();
    const vhtlc = vhtlcFromWire({
      sender: created.refundPublicKey,
      receiver: key.publicKey,
      server: info.signerPubkey,
      paymentHash,
      timeouts: created.timeoutBlockHeights,
    });
    const vtxos = await unspentAt(w.client, created.lockupAddress);
    await w.client.wallet.claimVhtlc({
      vhtlc,
      keyIndex: key.index,
      vtxos,
      preimage: preimage.toString("hex"),
    });
    await w.api.waitForStatus(created.id, ["invoice.settled"], noop, { timeoutMs: 180_000 });
    await payment;
    const after = await w.balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
    expect(after.gateway - before.gateway).toBe(-BigInt(created.onchainAmount));
    expect(after.client - before.client).toBe(BigInt(created.onchainAmount));
  });
});
