import { describe, expect, it } from "vitest";
import { cancelHoldInvoice } from "../../../src/lightning/lnd/cancel-hold-invoice.js";
import { createHoldInvoice } from "../../../src/lightning/lnd/create-hold-invoice.js";
import { settleHoldInvoice } from "../../../src/lightning/lnd/settle-hold-invoice.js";
import type { CreateHoldInvoiceArgs } from "../../../src/swaps/ports/lightning.js";
import { INVOICE_CREATED_AT, randomHash, signedInvoice } from "../../fakes/bolt11.js";
import { caught, ctxOf, grpcError, HASH, PREIMAGE } from "../../fakes/lnd-context.js";
import { fakeLndRpc, type FakeLndRpc } from "../../fakes/fake-lnd-rpc.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";

const future = () => new Date(Date.now() + 3_600_000);
const valid = (): CreateHoldInvoiceArgs => ({
  paymentHash: HASH,
  amountSats: 50_000n,
  cltvDelta: 80,
  expiresAt: future(),
  description: "swap",
});
const REQUEST = signedInvoice(HASH);

/** A context whose AddHoldInvoice answers `answer` (or throws it), and the fake recording calls. */
function addHold(answer: (req: Record<string, unknown>) => unknown): { ctx: LndContext; rpc: FakeLndRpc } {
  const rpc = fakeLndRpc({ unary: { "invoices.AddHoldInvoice": answer } });
  return { ctx: { ...ctxOf({}), rpc }, rpc };
}
const answering = (payment_request: string) => () => ({
  payment_request,
  add_index: "7",
  payment_addr: Buffer.alloc(32, 9),
});
const failing = (err: unknown) => () => {
  throw err;
};

describe("createHoldInvoice", () => {
  it("sends AddHoldInvoice with exact msat strings and returns the invoice LND made", async () => {
    const { ctx, rpc } = addHold(answering(REQUEST));
    const res = await createHoldInvoice(ctx, { ...valid(), paymentHash: HASH.toUpperCase() });
    expect(rpc.calls).toHaveLength(1);
    const sent = rpc.calls[0]!.request;
    expect(sent).toMatchObject({
      hash: Buffer.from(HASH, "hex"),
      value_msat: "50000000",
      cltv_expiry: 80,
      memo: "swap",
      private: false,
    });
    expect(sent).not.toHaveProperty("description_hash");
    expect(Math.abs((sent["expiry"] as number) - 3600)).toBeLessThanOrEqual(1);
    expect(res).toEqual({
      paymentHash: HASH,
      bolt11: REQUEST,
      amountMsat: 50_000_000n,
      createdAt: new Date(INVOICE_CREATED_AT),
    });
  });

  it("commits a description hash instead of a description (BOLT11 h)", async () => {
    const { ctx, rpc } = addHold(answering(REQUEST));
    await createHoldInvoice(ctx, {
      paymentHash: HASH,
      amountSats: 50_000n,
      cltvDelta: 80,
      expiresAt: future(),
      descriptionHash: "AB".repeat(32),
    });
    const sent = rpc.calls[0]!.request;
    expect(sent["description_hash"]).toEqual(Buffer.from("ab".repeat(32), "hex"));
    expect(sent).not.toHaveProperty("memo");
  });

  it("never rounds a huge amount through Number", async () => {
    const { ctx, rpc } = addHold(answering(REQUEST));
    const res = await createHoldInvoice(ctx, { ...valid(), amountSats: 2_100_000_000_000_000n });
    expect(rpc.calls[0]?.request).toMatchObject({ value_msat: "2100000000000000000" });
    expect(res.amountMsat).toBe(2_100_000_000_000_000_000n);
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
    const { ctx, rpc } = addHold(answering(REQUEST));
    const err = await caught(() => createHoldInvoice(ctx, { ...valid(), ...args } as CreateHoldInvoiceArgs));
    expect(err.code).toBe("ln.invalid_argument");
    expect(err.details).toMatchObject({ field });
    expect(rpc.calls).toHaveLength(0);
  });

  const errors: { description: string; answer: () => unknown; expected: string }[] = [
    {
      description: "duplicate hash",
      answer: failing(grpcError(2, "invoice with payment hash already exists")),
      expected: "ln.invoice_already_exists",
    },
    {
      description: "invoicesrpc not compiled in",
      answer: failing(grpcError(12, "unknown service invoicesrpc.Invoices")),
      expected: "ln.missing_subserver",
    },
    {
      description: "LND down",
      answer: failing(grpcError(14, "No connection established")),
      expected: "ln.unavailable",
    },
    {
      description: "macaroon without invoices:write",
      answer: failing(grpcError(2, "permission denied")),
      expected: "ln.permission_denied",
    },
    {
      description: "LND rejects the CLTV delta",
      answer: failing(grpcError(2, "CLTV delta of 10 must be greater than minimum of 18")),
      expected: "ln.invalid_argument",
    },
    {
      description: "malformed invoice back",
      answer: answering("lnbcrt500u1p..."),
      expected: "ln.unexpected_response",
    },
    {
      description: "no invoice back",
      answer: answering(""),
      expected: "ln.unexpected_response",
    },
    {
      description: "unknown text",
      answer: failing(grpcError(2, "boom")),
      expected: "ln.unexpected",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ answer, expected }) => {
    const err = await caught(() => createHoldInvoice(addHold(answer).ctx, valid()));
    expect(err.code).toBe(expected);
    expect(err.details).toMatchObject({ operation: "createHoldInvoice" });
  });

  it("refuses an answer committing to another hash", async () => {
    const { ctx } = addHold(answering(signedInvoice(randomHash())));
    expect((await caught(() => createHoldInvoice(ctx, valid()))).code).toBe("ln.unexpected_response");
  });
});

describe("settleHoldInvoice", () => {
  const table: { description: string; lndError: unknown; expected: string | undefined }[] = [
    { description: "held invoice settles", lndError: undefined, expected: undefined },
    {
      description: "repeat settle is success",
      lndError: grpcError(2, "invoice already settled"),
      expected: undefined,
    },
    {
      description: "no HTLC yet",
      lndError: grpcError(2, "invoice still open"),
      expected: "ln.invoice_not_held",
    },
    {
      description: "unknown preimage",
      lndError: grpcError(2, "unable to locate invoice"),
      expected: "ln.invoice_not_found",
    },
    {
      description: "canceled invoice",
      lndError: grpcError(2, "invoice already canceled"),
      expected: "ln.invoice_already_canceled",
    },
    {
      description: "connection lost",
      lndError: grpcError(14, "Connection dropped"),
      expected: "ln.unavailable",
    },
  ];
  it.each(table)("$description", async ({ lndError, expected }) => {
    const rpc = fakeLndRpc({
      unary: { "invoices.SettleInvoice": lndError === undefined ? () => ({}) : failing(lndError) },
    });
    const ctx = { ...ctxOf({}), rpc };
    if (expected === undefined)
      await expect(settleHoldInvoice(ctx, PREIMAGE.toUpperCase())).resolves.toBeUndefined();
    else expect((await caught(() => settleHoldInvoice(ctx, PREIMAGE))).code).toBe(expected);
    expect(rpc.calls).toEqual([
      { key: "invoices.SettleInvoice", request: { preimage: Buffer.from(PREIMAGE, "hex") } },
    ]);
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
      lndError: grpcError(2, "unable to locate invoice"),
      expected: "ln.invoice_not_found",
    },
    {
      description: "settled invoice",
      lndError: grpcError(2, "invoice already settled"),
      expected: "ln.invoice_already_settled",
    },
    {
      description: "LND starting",
      lndError: grpcError(2, "waiting to start, RPC services not available"),
      expected: "ln.unavailable",
    },
    {
      description: "deadline",
      lndError: grpcError(4, "Deadline exceeded"),
      expected: "ln.timeout",
    },
  ];
  it.each(table)("$description", async ({ lndError, expected }) => {
    const rpc = fakeLndRpc({
      unary: { "invoices.CancelInvoice": lndError === undefined ? () => ({}) : failing(lndError) },
    });
    const ctx = { ...ctxOf({}), rpc };
    if (expected === undefined) await expect(cancelHoldInvoice(ctx, HASH)).resolves.toBeUndefined();
    else expect((await caught(() => cancelHoldInvoice(ctx, HASH))).code).toBe(expected);
    expect(rpc.calls).toEqual([
      { key: "invoices.CancelInvoice", request: { payment_hash: Buffer.from(HASH, "hex") } },
    ]);
  });

  it("rejects a bad hash", async () => {
    expect((await caught(() => cancelHoldInvoice(ctxOf({}), "xyz"))).code).toBe("ln.invalid_argument");
  });
});
