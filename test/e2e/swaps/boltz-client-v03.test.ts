/**
 * Today's wallets, unmodified, on the real stack (btcd + LND + arkd + Postgres), on Node 22:
 * @arkade-os/boltz-swap 0.3.61 with its own @arkade-os/sdk 0.4.56 `Wallet` (a random key) drives
 * the gateway's Boltz v2 API exactly as a wallet app does. Every case checks every party's
 * balance: the client's SDK wallet, the gateway's Ark wallet, and alice's (the gateway's LND),
 * carol's (the router, who earns the routing fee) and bob's channels in msat.
 *
 * The older wallets (0.2.20 / sdk 0.3.13) keep their tests against the fakes
 * (test/integration/boltz-client) and stay the unaliased dev dependencies; 0.3.61 and its SDK are
 * npm aliases (`@arkade-os/boltz-swap-v03`, `@arkade-os/sdk-v04`). boltz-swap 0.3.61 depends on
 * sdk 0.4.56 exactly, so npm nests its own copy (the same version as the alias this file's
 * `Wallet` comes from; the client checks no `instanceof` on SDK classes).
 *
 * Funding: an arkd admin note redeemed by the SDK wallet's `settle` into its own address, just
 * before each payment. On our block-mode regtest arkd a VTXO's `expires_at` is its batch time +
 * 144 SECONDS (arkd v0.9.15 counts a block as one second, PROTOCOL.md §5), and SDK 0.4.56 trusts
 * it: 144 s after the batch the VTXO leaves `available` for `recoverable` and `send` no longer
 * selects it. So each submarine case redeems a fresh note right before paying, and the SDK
 * wallet's balance is read as available + recoverable, which does not move with that clock.
 * arkd enforces the same clock: SubmitTx refuses an input past its `expires_at` with
 * VTXO_RECOVERABLE. The gateway's own VTXOs (funded when the world opens) are therefore only
 * spendable offchain for 144 s; the reverse cases, where the gateway funds the VHTLC, check
 * that they run inside that window (see `gatewayFundsLive`).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  ArkadeSwaps,
  BoltzSwapProvider,
  InMemorySwapRepository,
  SwapNotFoundError,
  TransactionFailedError,
  type BoltzSubmarineSwap,
} from "@arkade-os/boltz-swap-v03";
import {
  ArkNote,
  EsploraProvider,
  InMemoryContractRepository,
  InMemoryWalletRepository,
  SingleKey,
  Wallet,
} from "@arkade-os/sdk-v04";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkAdmin, arkOf } from "../helpers/ark.js";
import { loadNetwork } from "../helpers/network.js";
import { createInvoice, payInvoice } from "../helpers/lightning.js";
import { bobCancelsWhenHeld, bobHoldInvoice } from "./client-side.js";
import { openSwapWorld, type Balances, type SwapWorld } from "./world.js";

/**
 * The chain as the SDK wallet sees it. The regtest network runs no Esplora: its
 * NBXplorer-compatible service answers `/blocks/tip/height` (what arkd polls) but not the
 * address and block listings `EsploraProvider` reads. This wallet never boards, so it has no
 * boarding UTXOs (`getBalance` asks for them); the chain tip (what 0.3.61 compares a
 * block-height refund locktime with) is read from `/blocks/tip/height`.
 */
class RegtestChain extends EsploraProvider {
  constructor(private readonly url: string) {
    super(url);
  }
  override async getCoins(): Promise<never[]> {
    return [];
  }
  override async getChainTip(): Promise<{ height: number; time: number; hash: string }> {
    const res = await fetch(`${this.url}/blocks/tip/height`);
    if (!res.ok) throw new Error(`chain tip: HTTP ${res.status}`);
    return { height: Number(await res.text()), time: Math.floor(Date.now() / 1000), hash: "" };
  }
}

async function createV04Wallet(net: NetworkFile): Promise<Wallet> {
  return Wallet.create({
    identity: SingleKey.fromRandomBytes(),
    arkServerUrl: arkOf(net).arkdUrl,
    onchainProvider: new RegtestChain(net.nbxplorer!.url),
    storage: {
      walletRepository: new InMemoryWalletRepository(),
      contractRepository: new InMemoryContractRepository(),
    },
    // No background renewal: a batch joined on its own would move the balances under test.
    settlementConfig: false,
  });
}

/** The SDK wallet's Ark balance in sats: every unspent VTXO, available or recoverable. */
async function walletTotal(wallet: Wallet): Promise<bigint> {
  const b = await wallet.getBalance();
  return BigInt(b.available) + BigInt(b.recoverable);
}

/** Redeems a fresh admin note of `sats` into the wallet (a real batch); waits until it counts. */
async function fundWallet(net: NetworkFile, wallet: Wallet, sats: number): Promise<void> {
  const before = await walletTotal(wallet);
  const [encoded] = await arkAdmin(net).createNotes(sats, 1);
  if (encoded === undefined) throw new Error("arkd minted no note");
  await wallet.settle({
    inputs: [ArkNote.fromString(encoded)],
    outputs: [{ address: await wallet.getAddress(), amount: BigInt(sats) }],
  });
  await waitFor("the note's VTXO in the SDK wallet", 60_000, async () =>
    (await walletTotal(wallet)) === before + BigInt(sats) ? true : undefined,
  );
}

let w: SwapWorld;
let wallet: Wallet;
let swaps: ArkadeSwaps;
/** Every swap this file creates, by id: its Ark amount and final status. Restore must find them all. */
interface Made {
  readonly amount: number;
  readonly status: string;
}
const created = { submarine: new Map<string, Made>(), reverse: new Map<string, Made>() };

interface AllBalances extends Balances {
  /** The 0.3.61 client's SDK wallet (sats). */
  readonly sdk: bigint;
}
const balances = async (): Promise<AllBalances> => {
  const [rest, sdk] = await Promise.all([w.balances(), walletTotal(wallet)]);
  return { ...rest, sdk };
};

interface SubmarinePairs {
  ARK: {
    BTC: {
      limits: { minimal: number; maximal: number };
      fees: { percentage: number; minerFees: number };
    };
  };
}
interface ReversePairs {
  BTC: {
    ARK: {
      limits: { minimal: number; maximal: number };
      fees: { percentage: number; minerFees: { claim: number; lockup: number } };
    };
  };
}

/** No later than the batch the world funds the gateway from. */
let gatewayFundedAt = 0;
/** The gateway's VTXOs are spendable offchain for 144 s after their batch (see the header). */
function gatewayFundsLive(): void {
  const age = (Date.now() - gatewayFundedAt) / 1000;
  if (age > 130)
    throw new Error(`the gateway's VTXOs are ${age.toFixed(0)} s old: arkd refuses them after 144 s`);
}

beforeAll(async () => {
  const net = loadNetwork();
  gatewayFundedAt = Date.now();
  w = await openSwapWorld(net, 100_000);
  wallet = await createV04Wallet(net);
  swaps = new ArkadeSwaps({
    wallet,
    swapProvider: new BoltzSwapProvider({ network: "regtest", apiUrl: w.gateway.http!.url }),
    swapRepository: new InMemorySwapRepository(),
    // The calls below drive each swap themselves (sendLightningPayment's own refund path,
    // waitAndClaim); a background manager would race them for the same claim or refund.
    swapManager: false,
  });
});
afterAll(async () => {
  await swaps?.dispose();
  await w?.close();
});

describe("@arkade-os/boltz-swap 0.3.61 (sdk 0.4.56) against the gateway on the real stack", () => {
  it("fees and limits are what GET /v2/swap/submarine and /v2/swap/reverse serve", async () => {
    const sub = await w.api.call<SubmarinePairs>("GET", "/v2/swap/submarine");
    const rev = await w.api.call<ReversePairs>("GET", "/v2/swap/reverse");
    expect(await swaps.getFees()).toEqual({
      submarine: sub.ARK.BTC.fees,
      reverse: rev.BTC.ARK.fees,
    });
    expect(await swaps.getLimits()).toEqual({
      min: sub.ARK.BTC.limits.minimal,
      max: sub.ARK.BTC.limits.maximal,
    });
  });

  it("submarine: sendLightningPayment pays bob's invoice, the swap ends transaction.claimed", async () => {
    const INVOICE = 20_000;
    const { submarine } = await swaps.getFees();
    const fee = BigInt(Math.ceil((INVOICE * submarine.percentage) / 100)) + BigInt(submarine.minerFees);
    await fundWallet(w.net, wallet, 40_000);
    const invoice = await createInvoice(w.net, "bob", INVOICE, "e2e v03 submarine");
    const before = await balances();

    const paid = await swaps.sendLightningPayment({ invoice: invoice.request });
    expect(BigInt(paid.amount)).toBe(BigInt(INVOICE) + fee);
    expect(createHash("sha256").update(Buffer.from(paid.preimage, "hex")).digest("hex")).toBe(invoice.id);
    const [stored] = await swaps.swapRepository.getAllSwaps({ type: "submarine" });
    if (stored === undefined) throw new Error("the client stored no submarine swap");
    created.submarine.set(stored.id, { amount: paid.amount, status: "transaction.claimed" });
    expect((await swaps.getSwapStatus(stored.id)).status).toBe("transaction.claimed");

    const after = await balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(routingFeeMsat).toBeGreaterThanOrEqual(0n);
    expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
    expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.sdk - before.sdk).toBe(-(BigInt(INVOICE) + fee));
    expect(after.gateway - before.gateway).toBe(BigInt(INVOICE) + fee);
    expect(after.client).toBe(before.client);
  });

  it("reverse: createLightningInvoice, bob pays, waitAndClaim → invoice.settled with exactly onchainAmount", async () => {
    const INVOICE = 30_000;
    gatewayFundsLive();
    const { reverse } = await swaps.getFees();
    const expectedOnchain =
      BigInt(INVOICE) -
      BigInt(Math.ceil((INVOICE * reverse.percentage) / 100)) -
      BigInt(reverse.minerFees.claim + reverse.minerFees.lockup);
    const before = await balances();

    const ln = await swaps.createLightningInvoice({ amount: INVOICE, description: "e2e v03 reverse" });
    created.reverse.set(ln.pendingSwap.id, { amount: ln.amount, status: "invoice.settled" });
    expect(BigInt(ln.amount)).toBe(expectedOnchain);
    expect(ln.pendingSwap.response.onchainAmount).toBe(ln.amount);
    const payment = payInvoice(w.net, "bob", ln.invoice);
    payment.catch(() => undefined);
    const claimed = await swaps.waitAndClaim(ln.pendingSwap);
    expect(claimed.txid).toMatch(/^[0-9a-f]{64}$/);
    expect((await swaps.getSwapStatus(ln.pendingSwap.id)).status).toBe("invoice.settled");
    const lnPaid = await payment;

    const after = await balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(BigInt(lnPaid.fee_mtokens)).toBe(routingFeeMsat);
    expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
    expect(after.gateway - before.gateway).toBe(-expectedOnchain);
    expect(after.sdk - before.sdk).toBe(expectedOnchain);
    expect(after.client).toBe(before.client);
  });

  it("reverse with the SwapManager on (the wallets' default): the manager claims, waitAndClaim resolves", async () => {
    const INVOICE = 25_000;
    gatewayFundsLive();
    const managed = new ArkadeSwaps({
      wallet,
      swapProvider: new BoltzSwapProvider({ network: "regtest", apiUrl: w.gateway.http!.url }),
      swapRepository: new InMemorySwapRepository(),
    });
    try {
      const { reverse } = await managed.getFees();
      const expectedOnchain =
        BigInt(INVOICE) -
        BigInt(Math.ceil((INVOICE * reverse.percentage) / 100)) -
        BigInt(reverse.minerFees.claim + reverse.minerFees.lockup);
      const before = await balances();

      const ln = await managed.createLightningInvoice({ amount: INVOICE });
      created.reverse.set(ln.pendingSwap.id, { amount: ln.amount, status: "invoice.settled" });
      expect(BigInt(ln.amount)).toBe(expectedOnchain);
      const payment = payInvoice(w.net, "bob", ln.invoice);
      payment.catch(() => undefined);
      const claimed = await managed.waitAndClaim(ln.pendingSwap);
      expect(claimed.txid).toMatch(/^[0-9a-f]{64}$/);
      expect((await managed.getSwapStatus(ln.pendingSwap.id)).status).toBe("invoice.settled");
      const lnPaid = await payment;

      const after = await balances();
      const routingFeeMsat = after.carol - before.carol;
      expect(BigInt(lnPaid.fee_mtokens)).toBe(routingFeeMsat);
      expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
      expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
      expect(after.gateway - before.gateway).toBe(-expectedOnchain);
      expect(after.sdk - before.sdk).toBe(expectedOnchain);
      expect(after.client).toBe(before.client);
    } finally {
      await managed.dispose();
    }
  });

  it("a payment that fails after funding: the client's own refund path brings every sat back", async () => {
    const INVOICE = 15_000;
    await fundWallet(w.net, wallet, 30_000);
    const paymentHash = createHash("sha256").update(randomBytes(32)).digest("hex");
    const hold = await bobHoldInvoice(w.net, INVOICE, paymentHash);
    const before = await balances();
    const known = new Set((await swaps.swapRepository.getAllSwaps({ type: "submarine" })).map((s) => s.id));

    const cancelled = bobCancelsWhenHeld(w.net, paymentHash);
    cancelled.catch(() => undefined);
    // sendLightningPayment funds the VHTLC, sees invoice.failedToPay, refunds through the
    // gateway's refund/ark (the 3-of-3 leaf) and throws TransactionFailedError.
    await expect(swaps.sendLightningPayment({ invoice: hold.request })).rejects.toBeInstanceOf(
      TransactionFailedError,
    );
    await cancelled;
    const stored = (await swaps.swapRepository.getAllSwaps({ type: "submarine" })).find(
      (s): s is BoltzSubmarineSwap => s.type === "submarine" && !known.has(s.id),
    );
    if (stored === undefined) throw new Error("the client stored no submarine swap");
    expect(stored.refunded).toBe(true);
    // The client refunded while the gateway showed invoice.failedToPay; once the gateway sees the
    // VHTLC spent by that refund its internal status is `refunded` (from payment_failed), and like
    // Boltz it keeps reporting invoice.failedToPay, with the refund as the transaction: 0.3.61
    // counts only invoice.failedToPay, transaction.claimed and swap.expired as final for a
    // submarine swap (transaction.refunded is a reverse/chain status it would keep watching).
    const refunded = await waitFor("the gateway to see the client's refund", 60_000, async () => {
      const swap = await w.gateway.service.get(stored.id);
      return swap.type === "submarine" && swap.status === "refunded" ? swap : undefined;
    });
    expect(refunded.refundedFrom).toBe("payment_failed");
    expect(await swaps.getSwapStatus(stored.id)).toMatchObject({
      status: "invoice.failedToPay",
      transaction: { id: refunded.refundTxid },
    });
    created.submarine.set(stored.id, {
      amount: stored.response.expectedAmount,
      status: "invoice.failedToPay",
    });

    const after = await balances();
    expect(after.sdk).toBe(before.sdk);
    expect(after.gateway).toBe(before.gateway);
    expect(after.client).toBe(before.client);
    expect(after.alice).toBe(before.alice);
    expect(after.bob).toBe(before.bob);
    expect(after.carol).toBe(before.carol);
  });

  it("a failed payment with the SwapManager on: it and sendLightningPayment both refund, one lands, every sat back", async () => {
    const INVOICE = 12_000;
    const managed = new ArkadeSwaps({
      wallet,
      swapProvider: new BoltzSwapProvider({ network: "regtest", apiUrl: w.gateway.http!.url }),
      swapRepository: new InMemorySwapRepository(),
    });
    try {
      await fundWallet(w.net, wallet, 30_000);
      const paymentHash = createHash("sha256").update(randomBytes(32)).digest("hex");
      const hold = await bobHoldInvoice(w.net, INVOICE, paymentHash);
      const before = await balances();

      const cancelled = bobCancelsWhenHeld(w.net, paymentHash);
      cancelled.catch(() => undefined);
      // On invoice.failedToPay the manager auto-refunds while sendLightningPayment runs its own
      // refund: both build the same refund tx; the gateway co-signs the first and refuses the
      // other once the VHTLC is spent (or the swap refunded). Which of the two calls wins, and so
      // which error sendLightningPayment ends with, is the client's race.
      await expect(managed.sendLightningPayment({ invoice: hold.request })).rejects.toThrow();
      await cancelled;
      const [stored] = await managed.swapRepository.getAllSwaps({ type: "submarine" });
      if (stored?.type !== "submarine") throw new Error("the client stored no submarine swap");
      // The gateway's internal `refunded` proves the refund landed; the public status stays the
      // failure (final for 0.3.61: its SwapManager stops watching the swap).
      const refunded = await waitFor("the gateway to see the client's refund", 60_000, async () => {
        const swap = await w.gateway.service.get(stored.id);
        return swap.type === "submarine" && swap.status === "refunded" ? swap : undefined;
      });
      expect(refunded.refundedFrom).toBe("payment_failed");
      expect(await managed.getSwapStatus(stored.id)).toMatchObject({
        status: "invoice.failedToPay",
        transaction: { id: refunded.refundTxid },
      });
      created.submarine.set(stored.id, {
        amount: stored.response.expectedAmount,
        status: "invoice.failedToPay",
      });
      await waitFor("the refund in the SDK wallet", 60_000, async () =>
        (await walletTotal(wallet)) === before.sdk ? true : undefined,
      );

      const after = await balances();
      expect(after).toEqual(before);
    } finally {
      await managed.dispose();
    }
  });

  it("restoreSwaps finds every swap of this file under the wallet's key", async () => {
    const restored = await swaps.restoreSwaps();
    expect(restored.chainSwaps).toEqual([]);
    expect(created.submarine.size).toBe(3);
    expect(created.reverse.size).toBe(2);
    const submarine = new Map(
      restored.submarineSwaps.map((s) => [s.id, { amount: s.response.expectedAmount, status: s.status }]),
    );
    const reverse = new Map(
      restored.reverseSwaps.map((s) => [s.id, { amount: s.response.onchainAmount, status: s.status }]),
    );
    expect(submarine).toEqual(created.submarine);
    expect(reverse).toEqual(created.reverse);
  });

  it("an unknown swap id is the client's SwapNotFoundError", async () => {
    await expect(swaps.getSwapStatus("NoSuchSwap0")).rejects.toBeInstanceOf(SwapNotFoundError);
  });
});
