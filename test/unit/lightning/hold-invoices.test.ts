import { describe, expect, it, vi } from "vitest";
import { cancelHoldInvoice } from "../../../src/lightning/lnd/cancel-hold-invoice.js";
import { createHoldInvoice } from "../../../src/lightning/lnd/create-hold-invoice.js";
import { settleHoldInvoice } from "../../../src/lightning/lnd/settle-hold-invoice.js";
import type { CreateHoldInvoiceArgs } from "../../../src/swaps/ports/lightning.js";
import { caught, ctxOf, grpcError, HASH, LND, lnReject, PREIMAGE } from "../../fakes/fake-ln-service.js";

const future = () => new Date(Date.now() + 3_600_000);
const valid = (): CreateHoldInvoiceArgs => ({
  paymentHash: HASH,
  amountSats: 50_000n,
  cltvDelta: 80,
  expiresAt: future(),
  description: "swap",
});
const created = {
  created_at: "2025-01-01T00:00:00.000Z",
  id: HASH,
  mtokens: "50000000",
  request: "lnbcrt500u1p...",
};

describe("createHoldInvoice", () => {
  it("passes exact msat strings and returns the parsed invoice", async () => {
    const addHoldInvoice = vi.fn().mockResolvedValue(created);
    const res = await createHoldInvoice(ctxOf({ addHoldInvoice }), {
      ...valid(),
      paymentHash: HASH.toUpperCase(),
    });
    expect(addHoldInvoice).toHaveBeenCalledWith(
      expect.objectContaining({
        lnd: LND,
        id: HASH,
        mtokens: "50000000",
        cltv_delta: 80,
        description: "swap",
      }),
    );
    expect(res).toEqual({
      paymentHash: HASH,
      bolt11: "lnbcrt500u1p...",
      amountMsat: 50_000_000n,
      createdAt: new Date("2025-01-01T00:00:00.000Z"),
    });
  });

  it("commits a description hash instead of a description (BOLT11 h)", async () => {
    const addHoldInvoice = vi.fn().mockResolvedValue(created);
    await createHoldInvoice(ctxOf({ addHoldInvoice }), {
      paymentHash: HASH,
      amountSats: 50_000n,
      cltvDelta: 80,
      expiresAt: future(),
      descriptionHash: "AB".repeat(32),
    });
    const sent = addHoldInvoice.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(sent["description_hash"]).toBe("ab".repeat(32));
    expect(sent).not.toHaveProperty("description");
  });

  it("never rounds a huge amount through Number", async () => {
    const addHoldInvoice = vi.fn().mockResolvedValue({ ...created, mtokens: "2100000000000000000" });
    await createHoldInvoice(ctxOf({ addHoldInvoice }), { ...valid(), amountSats: 2_100_000_000_000_000n });
    expect(addHoldInvoice.mock.calls[0]?.[0]).toMatchObject({ mtokens: "2100000000000000000" });
  });

  const invalid: {
    description: string;
    args: Partial<Record<keyof CreateHoldInvoiceArgs, unknown>>;
    field: string;
  }[] = [
    { description: "short hash", args: { paymentHash: "ab" }, field: "paymentHash" },
    { description: "non-hex hash", args: { paymentHash: "z".repeat(64) }, field: "paymentHash" },
    { description: "zero amount", args: { amountSats: 0n }, field: "amountSats" },
    { description: "number amount", args: { amountSats: 1000 }, field: "amountSats" },
    {
      description: "amount above 21M BTC",
      args: { amountSats: 2_100_000_000_000_001n },
      field: "amountSats",
    },
    { description: "cltv below 18", args: { cltvDelta: 17 }, field: "cltvDelta" },
    { description: "cltv above 2016", args: { cltvDelta: 2017 }, field: "cltvDelta" },
    { description: "fractional cltv", args: { cltvDelta: 40.5 }, field: "cltvDelta" },
    {
      description: "expiry in the past",
      args: { expiresAt: new Date(Date.now() - 1000) },
      field: "expiresAt",
    },
    { description: "invalid date", args: { expiresAt: new Date("nope") }, field: "expiresAt" },
    {
      description: "description over 639 bytes",
      args: { description: "é".repeat(320) },
      field: "description",
    },
    {
      description: "short description hash",
      args: { description: undefined, descriptionHash: "ab" },
      field: "descriptionHash",
    },
    {
      description: "description and its hash together",
      args: { descriptionHash: "cd".repeat(32) },
      field: "descriptionHash",
    },
  ];
  it.each(invalid)("rejects $description before calling LND", async ({ args, field }) => {
    const addHoldInvoice = vi.fn();
    const err = await caught(() =>
      createHoldInvoice(ctxOf({ addHoldInvoice }), { ...valid(), ...args } as CreateHoldInvoiceArgs),
    );
    expect(err.code).toBe("ln.invalid_argument");
    expect(err.details).toMatchObject({ field });
    expect(addHoldInvoice).not.toHaveBeenCalled();
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "duplicate hash",
      lndError: lnReject(
        503,
        "UnexpectedAddHodlInvoiceError",
        grpcError(2, "invoice with payment hash already exists"),
      ),
      expected: "ln.invoice_already_exists",
    },
    {
      description: "invoicesrpc not compiled in",
      lndError: lnReject(
        503,
        "UnexpectedAddHodlInvoiceError",
        grpcError(12, "unknown service invoicesrpc.Invoices"),
      ),
      expected: "ln.missing_subserver",
    },
    {
      description: "LND down",
      lndError: lnReject(503, "UnexpectedAddHodlInvoiceError", grpcError(14, "No connection established")),
      expected: "ln.unavailable",
    },
    {
      description: "macaroon without invoices:write",
      lndError: lnReject(503, "UnexpectedAddHodlInvoiceError", grpcError(2, "permission denied")),
      expected: "ln.permission_denied",
    },
    {
      description: "LND rejects the CLTV delta",
      lndError: lnReject(
        503,
        "UnexpectedAddHodlInvoiceError",
        grpcError(2, "CLTV delta of 10 must be greater than minimum of 18"),
      ),
      expected: "ln.invalid_argument",
    },
    {
      description: "malformed invoice back",
      lndError: lnReject(503, "ExpectedValidPaymentRequestForHodlInvoice"),
      expected: "ln.unexpected_response",
    },
    {
      description: "unknown text",
      lndError: lnReject(503, "UnexpectedAddHodlInvoiceError", grpcError(2, "boom")),
      expected: "ln.unexpected",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ lndError, expected }) => {
    const err = await caught(() =>
      createHoldInvoice(ctxOf({ addHoldInvoice: vi.fn().mockRejectedValue(lndError) }), valid()),
    );
    expect(err.code).toBe(expected);
    expect(err.details).toMatchObject({ operation: "createHoldInvoice" });
  });

  it("refuses an answer for another hash", async () => {
    const addHoldInvoice = vi.fn().mockResolvedValue({ ...created, id: "f".repeat(64) });
    expect((await caught(() => createHoldInvoice(ctxOf({ addHoldInvoice }), valid()))).code).toBe(
      "ln.unexpected_response",
    );
  });
});

describe("settleHoldInvoice", () => {
  const table: { description: string; lndError: unknown; expected: string | undefined }[] = [
    { description: "held invoice settles", lndError: undefined, expected: undefined },
    {
      description: "repeat settle is success",
      lndError: lnReject(
        503,
        "UnexpectedErrorWhenSettlingHodlInvoice",
        grpcError(2, "invoice already settled"),
      ),
      expected: undefined,
    },
    {
      description: "no HTLC yet",
      lndError: lnReject(402, "CannotSettleHtlcBeforeHtlcReceived"),
      expected: "ln.invoice_not_held",
    },
    {
      description: "unknown preimage",
      lndError: lnReject(404, "SecretDoesNotMatchAnyExistingHodlInvoice"),
      expected: "ln.invoice_not_found",
    },
    {
      description: "canceled invoice",
      lndError: lnReject(
        503,
        "UnexpectedErrorWhenSettlingHodlInvoice",
        grpcError(2, "invoice already canceled"),
      ),
      expected: "ln.invoice_already_canceled",
    },
    {
      description: "connection lost",
      lndError: lnReject(503, "UnexpectedErrorWhenSettlingHodlInvoice", grpcError(14, "Connection dropped")),
      expected: "ln.unavailable",
    },
  ];
  it.each(table)("$description", async ({ lndError, expected }) => {
    const settleHodlInvoice =
      lndError === undefined ? vi.fn().mockResolvedValue(undefined) : vi.fn().mockRejectedValue(lndError);
    const ctx = ctxOf({ settleHodlInvoice });
    if (expected === undefined)
      await expect(settleHoldInvoice(ctx, PREIMAGE.toUpperCase())).resolves.toBeUndefined();
    else expect((await caught(() => settleHoldInvoice(ctx, PREIMAGE))).code).toBe(expected);
    expect(settleHodlInvoice).toHaveBeenCalledWith({ lnd: LND, secret: PREIMAGE });
  });

  it.each(["", "ab", "g".repeat(64)])("rejects preimage %j", async (preimage) => {
    expect((await caught(() => settleHoldInvoice(ctxOf({}), preimage))).code).toBe("ln.invalid_argument");
  });
});

describe("cancelHoldInvoice", () => {
  const table: { description: string; lndError: unknown; expected: string | undefined }[] = [
    { description: "open or held invoice cancels", lndError: undefined, expected: undefined },
    {
      description: "unknown hash",
      lndError: lnReject(
        503,
        "UnexpectedErrorCancelingHodlInvoice",
        grpcError(2, "unable to locate invoice"),
      ),
      expected: "ln.invoice_not_found",
    },
    {
      description: "settled invoice",
      lndError: lnReject(503, "UnexpectedErrorCancelingHodlInvoice", grpcError(2, "invoice already settled")),
      expected: "ln.invoice_already_settled",
    },
    {
      description: "LND starting",
      lndError: lnReject(
        503,
        "UnexpectedErrorCancelingHodlInvoice",
        grpcError(2, "waiting to start, RPC services not available"),
      ),
      expected: "ln.unavailable",
    },
    {
      description: "deadline",
      lndError: lnReject(503, "UnexpectedErrorCancelingHodlInvoice", grpcError(4, "Deadline exceeded")),
      expected: "ln.timeout",
    },
  ];
  it.each(table)("$description", async ({ lndError, expected }) => {
    const cancelHodlInvoice =
      lndError === undefined ? vi.fn().mockResolvedValue(undefined) : vi.fn().mockRejectedValue(lndError);
    const ctx = ctxOf({ cancelHodlInvoice });
    if (expected === undefined) await expect(cancelHoldInvoice(ctx, HASH)).resolves.toBeUndefined();
    else expect((await caught(() => cancelHoldInvoice(ctx, HASH))).code).toBe(expected);
  });

  it("rejects a bad hash", async () => {
    expect((await caught(() => cancelHoldInvoice(ctxOf({}), "xyz"))).code).toBe("ln.invalid_argument");
  });
});
