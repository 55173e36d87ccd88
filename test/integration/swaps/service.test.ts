import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isGatewayError } from "../../../src/domain/errors.js";
import { pubkeyFor, preimagePair } from "../../fakes/keys.js";
import { createHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness("svc");
});
afterAll(async () => {
  await h.engine.stop();
  await h.db.destroy();
});

const code = (c: string) => (e: unknown) => isGatewayError(e, c) && e.httpStatus >= 400 && e.httpStatus < 500;
const wallet = pubkeyFor("wallet");

async function swapCount(): Promise<number> {
  return (await h.store.list({ limit: 1000 })).length;
}

describe("SwapService creation checks (invariant 8: clear 4xx, nothing half-written)", () => {
  it.each([
    ["unroutable invoice", { hops: undefined }, "swap.unroutable"],
    ["route too long for the CLTV budget (3 hops × 18 + 18 > 52)", { hops: 3 }, "swap.unroutable"],
    ["expired invoice", { expiresAt: new Date(Date.UTC(2025, 0, 1, 11)) }, "swap.invoice_expired"],
    [
      "invoice expiring within the minimum",
      { expiresAt: new Date(Date.UTC(2025, 0, 1, 12, 1)) },
      "swap.invoice_expired",
    ],
    ["mainnet invoice on regtest", { network: "mainnet" as const }, "swap.invoice_wrong_network"],
    ["amountless invoice", { amountMsat: 0n }, "swap.invoice_amountless"],
    ["amount below the minimum", { amountMsat: 999_000n }, "swap.amount_out_of_limits"],
    ["final CLTV larger than the budget", { cltvDelta: 60 }, "swap.invoice_cltv_too_large"],
  ])("submarine: refuses %s", async (_n, opts, expected) => {
    const before = await swapCount();
    const inv = h.ln.addExternalInvoice(opts);
    await expect(
      h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet }),
    ).rejects.toSatisfy(code(expected));
    expect(await swapCount()).toBe(before);
  });

  it("submarine: refuses garbage invoices and keys", async () => {
    await expect(
      h.service.createSubmarine({ invoice: "lnbcrt1nope", refundPublicKey: wallet }),
    ).rejects.toSatisfy(code("swap.invalid_invoice"));
    const inv = h.ln.addExternalInvoice();
    for (const key of ["", "02" + "00".repeat(32), "04" + "11".repeat(64), wallet.slice(2)]) {
      await expect(
        h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: key }),
      ).rejects.toSatisfy(code("swap.invalid_public_key"));
    }
  });

  it("submarine: refuses an invoice that already has a swap (409) or that LND already paid", async () => {
    const inv = h.ln.addExternalInvoice();
    await h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet });
    await expect(
      h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "swap.already_exists") && e.httpStatus === 409);
    const paid = h.ln.addExternalInvoice({ behaviour: "hold" });
    for await (const ev of h.ln.payInvoice({
      bolt11: paid.bolt11,
      maxFeeSats: 1000n,
      maxTimeoutHeight: 2_000,
      timeoutSeconds: 1,
      maxPaths: 1,
    })) {
      if (ev.type === "in_flight") break;
    }
    await expect(
      h.service.createSubmarine({ invoice: paid.bolt11, refundPublicKey: wallet }),
    ).rejects.toSatisfy(code("swap.invoice_already_paid"));
  });

  it("pair hashes are stable, differ per direction, and a stale one is refused", async () => {
    const a = await h.service.submarineQuote();
    expect(await h.service.submarineQuote()).toEqual(a);
    expect((await h.service.reverseQuote()).hash).not.toBe(a.hash);
    expect(a).toMatchObject({
      feePercentage: "0.1",
      minimalSats: 1_000n,
      maximalSats: 10_000_000n,
      baseFeeSats: 0n,
    });
    const inv = h.ln.addExternalInvoice();
    await expect(
      h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet, pairHash: "00".repeat(32) }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "swap.pair_hash_mismatch"));
    await expect(
      h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet, pairHash: a.hash }),
    ).resolves.toMatchObject({ expectedAmountSats: 50_050n });
  });

  it("reverse: refuses bad hashes, keys, descriptions, amounts, duplicates; nothing half-written", async () => {
    const before = await swapCount();
    const ok = {
      invoiceAmountSats: 50_000n,
      claimPublicKey: wallet,
      preimageHash: preimagePair().paymentHash,
    };
    await expect(h.service.createReverse({ ...ok, preimageHash: "xyz" })).rejects.toSatisfy(
      code("swap.invalid_preimage_hash"),
    );
    await expect(h.service.createReverse({ ...ok, claimPublicKey: "03" })).rejects.toSatisfy(
      code("swap.invalid_public_key"),
    );
    await expect(h.service.createReverse({ ...ok, invoiceAmountSats: 500n })).rejects.toSatisfy(
      code("swap.amount_out_of_limits"),
    );
    await expect(h.service.createReverse({ ...ok, invoiceAmountSats: 20_000_000n })).rejects.toSatisfy(
      code("swap.amount_out_of_limits"),
    );
    await expect(h.service.createReverse({ ...ok, description: "x".repeat(640) })).rejects.toSatisfy(
      code("swap.invalid_description"),
    );
    expect(await swapCount()).toBe(before);
    await h.service.createReverse(ok);
    await expect(h.service.createReverse(ok)).rejects.toSatisfy(code("swap.already_exists"));
    expect(await swapCount()).toBe(before + 1);
  });

  it("reverse: commits a descriptionHash, exclusive with description; default description as the client's", async () => {
    const ok = { invoiceAmountSats: 50_000n, claimPublicKey: wallet };
    const before = await swapCount();
    const both = {
      ...ok,
      preimageHash: preimagePair().paymentHash,
      description: "x",
      descriptionHash: "ab".repeat(32),
    };
    await expect(h.service.createReverse(both)).rejects.toSatisfy(code("swap.invalid_description"));
    const badHash = { ...ok, preimageHash: preimagePair().paymentHash, descriptionHash: "ab" };
    await expect(h.service.createReverse(badHash)).rejects.toSatisfy(code("swap.invalid_description"));
    expect(await swapCount()).toBe(before);
    expect(h.ln.holdState(both.preimageHash)).toBeUndefined();

    const hashed = { ...ok, preimageHash: preimagePair().paymentHash, descriptionHash: "AB".repeat(32) };
    const created = await h.service.createReverse(hashed);
    expect(h.ln.holdPurpose(hashed.preimageHash)).toEqual({ descriptionHash: "ab".repeat(32) });
    expect((await h.service.get(created.id)).type).toBe("reverse");

    for (const description of [undefined, "   "]) {
      const plain = { ...ok, preimageHash: preimagePair().paymentHash, description };
      const swap = await h.service.get((await h.service.createReverse(plain)).id);
      expect(h.ln.holdPurpose(plain.preimageHash)).toEqual({ description: "Send to Arkade address" });
      expect(swap.type === "reverse" && swap.description).toBe("Send to Arkade address");
    }
  });

  it("invariant 7: a VHTLC arkd would refuse is never created (block delays on a seconds-typed server)", async () => {
    const saved = h.ark.info;
    Object.assign(h.ark, { info: { ...saved, unilateralExitDelay: 1_024n } });
    try {
      const before = await swapCount();
      const inv = h.ln.addExternalInvoice();
      await expect(
        h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet }),
      ).rejects.toSatisfy((e) => isGatewayError(e));
      const rev = {
        invoiceAmountSats: 50_000n,
        claimPublicKey: wallet,
        preimageHash: preimagePair().paymentHash,
      };
      await expect(h.service.createReverse(rev)).rejects.toSatisfy((e) => isGatewayError(e));
      expect(await swapCount()).toBe(before);
      expect(h.ln.holdState(rev.preimageHash)).toBeUndefined();
    } finally {
      Object.assign(h.ark, { info: saved });
    }
  });

  it("status, get, restore, heights, and not_found for unknown or wrong-type ids", async () => {
    const inv = h.ln.addExternalInvoice();
    const key = pubkeyFor("restore-wallet");
    const created = await h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: key });
    expect(await h.service.status(created.id)).toEqual({
      id: created.id,
      type: "submarine",
      status: "invoice.set",
    });
    expect((await h.service.restore(key)).map((s) => s.id)).toEqual([created.id]);
    expect(await h.service.heights()).toEqual({ BTC: 1_000, ARK: 1_000 });
    // @arkade-os/boltz-swap recognises an unknown swap only by this text
    const notFound = (e: unknown) =>
      isGatewayError(e, "swap.not_found") &&
      e.httpStatus === 404 &&
      e.message.includes("could not find swap");
    await expect(h.service.status("nope")).rejects.toSatisfy(notFound);
    await expect(h.service.reverseLockup(created.id)).rejects.toSatisfy(notFound);
    await expect(h.service.submarinePreimage(created.id)).rejects.toSatisfy((e) =>
      isGatewayError(e, "swap.preimage_not_available"),
    );
  });

  it("announces committed changes to onUpdate listeners in public vocabulary", async () => {
    const updates: string[] = [];
    const off = h.service.onUpdate((u) => updates.push(`${u.id}:${u.status}`));
    const inv = h.ln.addExternalInvoice();
    const created = await h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: wallet });
    const swap = await h.swap(created.id);
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    off();
    expect(updates.filter((u) => u.startsWith(created.id)).map((u) => u.split(":")[1])).toEqual([
      "transaction.mempool",
      "transaction.confirmed",
      "invoice.pending",
      "invoice.paid",
      "transaction.claim.pending",
      "transaction.claimed",
    ]);
  });
});

describe("a new swap's first step", () => {
  it("runs only when a watch could not be set up (its watches report what it would wait for)", async () => {
    const invoiceLookups = vi.spyOn(h.ln, "getInvoice");
    const vtxoLookups = vi.spyOn(h.ark, "vtxosAt");
    try {
      const reverse = await h.service.createReverse({
        invoiceAmountSats: 50_000n,
        claimPublicKey: wallet,
        preimageHash: preimagePair().paymentHash,
      });
      const submarine = await h.service.createSubmarine({
        invoice: h.ln.addExternalInvoice({}).bolt11,
        refundPublicKey: wallet,
      });
      await h.settle();
      expect(invoiceLookups).not.toHaveBeenCalled();
      expect(vtxoLookups).not.toHaveBeenCalled();
      expect((await h.swap(reverse.id)).status).toBe("invoice_created");
      expect((await h.swap(submarine.id)).status).toBe("awaiting_funding");

      h.ark.failNext("watchScripts");
      await h.service.createReverse({
        invoiceAmountSats: 50_000n,
        claimPublicKey: wallet,
        preimageHash: preimagePair().paymentHash,
      });
      h.ark.failNext("watchScripts");
      await h.service.createSubmarine({
        invoice: h.ln.addExternalInvoice({}).bolt11,
        refundPublicKey: wallet,
      });
      await h.settle();
      expect(invoiceLookups).toHaveBeenCalledTimes(1);
      expect(vtxoLookups).toHaveBeenCalledTimes(1);
    } finally {
      invoiceLookups.mockRestore();
      vtxoLookups.mockRestore();
    }
  });
});
