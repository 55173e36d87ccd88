/**
 * Crash safety on the real stack: the gateway (its own process) is killed with SIGKILL right
 * after each persisted status of both flows (GATEWAY_TEST_CRASH_AFTER), started again on the same
 * database and seed, and every swap then completes with every party's balance exactly where a
 * crash-free swap leaves it: nothing lost, nothing paid twice. The matrix is in
 * docs/crash-safety.md.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vhtlcFromWire } from "../../../src/cli/sandbox/swaps.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openClientWallet,
  waitForBalance,
  type ClientWallet,
} from "../../../src/cli/sandbox/client-wallet.js";
import { GatewayApi } from "../../../src/cli/sandbox/http-client.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { arkOf, createArkWallet, fundWithNote } from "../helpers/ark.js";
import { channelBalanceMsat, createInvoice, lightningSettled, payInvoice } from "../helpers/lightning.js";
import { loadNetwork } from "../helpers/network.js";
import { waitFor } from "../../../src/regtest/process.js";
import { ChildGateway } from "./child-gateway.js";
import { arkHoldings, scriptOf, unspentAt } from "./client-side.js";

let net: NetworkFile;
let gw: ChildGateway;
let api: GatewayApi;
let client: ClientWallet;
let gatewayAddress: string;
const noop = (): void => undefined;

interface Balances {
  readonly client: bigint;
  readonly gateway: bigint;
  readonly alice: bigint;
  readonly bob: bigint;
  readonly carol: bigint;
}

async function balances(): Promise<Balances> {
  await lightningSettled(net);
  return {
    client: await arkHoldings(client.wallet),
    gateway: gw.balance().sats,
    alice: await channelBalanceMsat(net, "alice"),
    bob: await channelBalanceMsat(net, "bob"),
    carol: await channelBalanceMsat(net, "carol"),
  };
}

beforeAll(async () => {
  net = loadNetwork();
  gw = await ChildGateway.create(net, "crash");
  await gw.start();
  api = new GatewayApi(gw.url);
  const dir = mkdtempSync(join(tmpdir(), "crash-client-"));
  client = await openClientWallet(
    arkOf(net).arkdUrl,
    net.postgres.url,
    join(dir, "client.seed"),
    `crash_client_${Date.now()}`,
  );
  gatewayAddress = gw.balance().address;
});

/**
 * Fresh Ark funds for `address`, right before they are spent: arkd refuses offchain spends of a
 * VTXO past its expires_at, which on our block-typed regtest arkd is its batch's end + 144 s
 * (see docs/real-arkd.md), so every test brings its own.
 */
async function freshFunds(address: string, sats: number): Promise<void> {
  const funder = await createArkWallet(net);
  await fundWithNote(net, funder, sats);
  await funder.sendBitcoin({ address, amount: sats });
}

afterAll(async () => {
  await client?.close().catch(noop);
  await gw?.stop().catch(noop);
});

/** Expects the process to have died at its crash point, then starts it again unarmed. */
async function crashedAndRestarted(point: string): Promise<void> {
  const exit = await gw.exited();
  expect(exit.signal).toBe("SIGKILL");
  expect(gw.log).toContain(`crash point ${point} reached`);
  await gw.start();
}

describe("crash matrix: submarine", () => {
  it.each(["awaiting_funding", "funding_detected", "funded", "paying", "paid", "claiming", "claimed"])(
    "killed right after %s: restarted, the swap completes, every sat where it belongs",
    async (status) => {
      const INVOICE = 10_000;
      await freshFunds(client.address, 15_000);
      await waitForBalance(client.wallet, 15_000n);
      const before = await balances();
      const invoice = await createInvoice(net, "bob", INVOICE, `crash ${status}`);
      const key = await client.wallet.swapKey(`crash-sub-${status}-${Date.now()}`);
      await gw.stop();
      await gw.start(`submarine:${status}`);
      let id: string;
      let address: string;
      let amount: bigint;
      if (status === "awaiting_funding") {
        // The process dies before answering: the wallet finds its swap again with restore.
        await expect(api.createSubmarine(invoice.request, key.publicKey)).rejects.toThrow();
        await crashedAndRestarted(`submarine:${status}`);
        const [item] = await api.call<
          { id: string; refundDetails: { lockupAddress: string; amount: number } }[]
        >("POST", "/v2/swap/restore", { publicKey: key.publicKey });
        expect(item).toBeDefined();
        ({ id } = item!);
        address = item!.refundDetails.lockupAddress;
        amount = BigInt(item!.refundDetails.amount);
        await client.wallet.fund({ script: scriptOf(address), amountSats: amount, idempotencyKey: id });
      } else {
        const created = await api.createSubmarine(invoice.request, key.publicKey);
        ({ id, address } = created);
        amount = BigInt(created.expectedAmount);
        await client.wallet.fund({ script: scriptOf(address), amountSats: amount, idempotencyKey: id });
        await crashedAndRestarted(`submarine:${status}`);
      }
      await api.waitForStatus(id, ["transaction.claimed"], noop, {
        failing: ["invoice.failedToPay", "transaction.lockupFailed", "transaction.refunded", "swap.expired"],
      });
      expect(await unspentAt(client, address)).toEqual([]);
      const after = await balances();
      const routingFeeMsat = after.carol - before.carol;
      expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
      expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
      expect(after.client - before.client).toBe(-amount);
      expect(after.gateway - before.gateway).toBe(amount);
    },
  );
});

describe("crash matrix: reverse", () => {
  it.each(["invoice_held", "funding", "funded", "preimage_learned", "settled"])(
    "killed right after %s: restarted, the wallet claims, the hold invoice settles, every sat where it belongs",
    async (status) => {
      const INVOICE = 12_000;
      await freshFunds(gatewayAddress, 15_000);
      await waitFor("the gateway's fresh funds", 60_000, async () =>
        gw.balance().sats >= 15_000n ? true : undefined,
      );
      const before = await balances();
      const preimage = randomBytes(32);
      const paymentHash = createHash("sha256").update(preimage).digest("hex");
      const key = await client.wallet.swapKey(`crash-rev-${status}-${Date.now()}`);
      await gw.stop();
      await gw.start(`reverse:${status}`);
      const created = await api.createReverse(INVOICE, paymentHash, key.publicKey);
      const payment = payInvoice(net, "bob", created.invoice);
      payment.catch(noop);
      const beforeClaim = ["invoice_held", "funding", "funded"].includes(status);
      if (beforeClaim) await crashedAndRestarted(`reverse:${status}`);
      await api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop, {
        failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
      });
      const info = await client.wallet.serverInfo();
      const vhtlc = vhtlcFromWire({
        sender: created.refundPublicKey,
        receiver: key.publicKey,
        server: info.signerPubkey,
        paymentHash,
        timeouts: created.timeoutBlockHeights,
      });
      const vtxos = await unspentAt(client, created.lockupAddress);
      expect(vtxos.reduce((s, v) => s + v.amountSats, 0n)).toBe(BigInt(created.onchainAmount));
      await client.wallet.claimVhtlc({
        vhtlc,
        keyIndex: key.index,
        vtxos,
        preimage: preimage.toString("hex"),
      });
      if (!beforeClaim) await crashedAndRestarted(`reverse:${status}`);
      await api.waitForStatus(created.id, ["invoice.settled"], noop);
      await payment;
      const after = await balances();
      const routingFeeMsat = after.carol - before.carol;
      expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
      expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
      expect(after.gateway - before.gateway).toBe(-BigInt(created.onchainAmount));
      expect(after.client - before.client).toBe(BigInt(created.onchainAmount));
    },
  );
});
