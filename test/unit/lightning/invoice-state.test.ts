import { describe, expect, it } from "vitest";
import { getInvoice } from "../../../src/lightning/lnd/get-invoice.js";
import type { LndInvoice, LndInvoiceHtlc } from "../../../src/lightning/lnd/invoice-from-ln.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";
import { subscribeToInvoice } from "../../../src/lightning/lnd/subscribe-to-invoice.js";
import { caught, collect, ctxOf, grpcError, HASH, PREIMAGE } from "../../fakes/lnd-context.js";
import { FakeLndStream, fakeLndRpc, type FakeLndRpc } from "../../fakes/fake-lnd-rpc.js";

/** lnrpc.Invoice as our client decodes it (defaults filled, 64-bit integers as strings). */
const base: LndInvoice = {
  r_hash: Buffer.from(HASH, "hex"),
  r_preimage: Buffer.alloc(0),
  value: "50000",
  value_msat: "50000000",
  creation_date: "1735689600", // 2025-01-01T00:00:00Z
  expiry: "3600",
  cltv_expiry: "80",
  payment_request: "lnbcrt500u1p...",
  amt_paid_msat: "0",
  state: "OPEN",
  htlcs: [],
};
const htlc = (expiry_height: number, amt_msat = "25000000", state = "ACCEPTED"): LndInvoiceHtlc => ({
  amt_msat,
  expiry_height,
  state,
});
const held: LndInvoice = {
  ...base,
  state: "ACCEPTED",
  amt_paid_msat: "50000001",
  htlcs: [htlc(250), htlc(240, "25000001")],
};
const settled: LndInvoice = {
  ...base,
  state: "SETTLED",
  amt_paid_msat: "50000001",
  r_preimage: Buffer.from(PREIMAGE, "hex"),
  htlcs: [htlc(250, "25000000", "SETTLED"), htlc(240, "25000001", "SETTLED")],
};
const canceled: LndInvoice = { ...base, state: "CANCELED", r_preimage: Buffer.alloc(32) };

const withRpc = (rpc: FakeLndRpc): LndContext => ({ ...ctxOf({}), rpc });
const lookup = (answer: () => unknown) => fakeLndRpc({ unary: { "lightning.LookupInvoice": answer } });
const failing = (err: unknown) => () => {
  throw err;
};

describe("getInvoice", () => {
  const results: { description: string; lndResult: LndInvoice; expected: object }[] = [
    {
      description: "open",
      lndResult: base,
      expected: { state: "open", receivedMsat: 0n, htlcs: [], preimage: undefined },
    },
    {
      description: "held, with exact msat",
      lndResult: held,
      expected: {
        state: "held",
        receivedMsat: 50_000_001n,
        htlcs: [
          { state: "held", amountMsat: 25_000_000n, cltvExpiry: 250 },
          { state: "held", amountMsat: 25_000_001n, cltvExpiry: 240 },
        ],
        preimage: undefined,
      },
    },
    {
      description: "settled, with preimage",
      lndResult: settled,
      expected: { state: "settled", preimage: PREIMAGE },
    },
    {
      description: "canceled, zero preimage hidden",
      lndResult: canceled,
      expected: { state: "canceled", preimage: undefined },
    },
  ];
  it.each(results)("$description", async ({ lndResult, expected }) => {
    const rpc = lookup(() => lndResult);
    const inv = await getInvoice(withRpc(rpc), HASH.toUpperCase());
    expect(rpc.calls).toEqual([
      { key: "lightning.LookupInvoice", request: { r_hash: Buffer.from(HASH, "hex") } },
    ]);
    expect(inv).toMatchObject({
      paymentHash: HASH,
      amountMsat: 50_000_000n,
      cltvDelta: 80,
      bolt11: "lnbcrt500u1p...",
      createdAt: new Date("2025-01-01T00:00:00.000Z"),
      expiresAt: new Date("2025-01-01T01:00:00.000Z"),
      ...expected,
    });
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "unknown hash",
      lndError: grpcError(5, "unable to locate invoice"),
      expected: "ln.invoice_not_found",
    },
    {
      description: "LND down",
      lndError: grpcError(14, "failed to connect to all addresses"),
      expected: "ln.unavailable",
    },
    {
      description: "locked wallet",
      lndError: grpcError(12, "unknown service lnrpc.Lightning"),
      expected: "ln.wallet_locked",
    },
    {
      description: "locked wallet (LND 0.20)",
      lndError: grpcError(2, "wallet locked, unlock it to enable full RPC access"),
      expected: "ln.wallet_locked",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ lndError, expected }) => {
    const err = await caught(() => getInvoice(withRpc(lookup(failing(lndError))), HASH));
    expect(err.code).toBe(expected);
  });

  const malformed: { description: string; answer: object }[] = [
    { description: "msat amount", answer: { ...base, amt_paid_msat: "1.5" } },
    { description: "creation date", answer: { ...base, creation_date: "0" } },
    { description: "state", answer: { ...base, state: 7 } },
    { description: "payment hash", answer: { ...base, r_hash: Buffer.alloc(0) } },
    { description: "HTLC state", answer: { ...held, htlcs: [htlc(250, "1", "RESOLVED")] } },
    { description: "HTLC expiry", answer: { ...held, htlcs: [htlc(0)] } },
  ];
  it.each(malformed)("refuses a malformed $description from LND", async ({ answer }) => {
    expect((await caught(() => getInvoice(withRpc(lookup(() => answer)), HASH))).code).toBe(
      "ln.unexpected_response",
    );
  });

  it("reads the amount in sats when LND left value_msat zero", async () => {
    const inv = await getInvoice(withRpc(lookup(() => ({ ...base, value_msat: "0", value: "7" }))), HASH);
    expect(inv.amountMsat).toBe(7_000n);
  });
});

describe("subscribeToInvoice", () => {
  function setup() {
    const call = new FakeLndStream<LndInvoice>();
    const rpc = fakeLndRpc({ stream: { "invoices.SubscribeSingleInvoice": () => call } });
    const stream = subscribeToInvoice(withRpc(rpc), HASH);
    return { call, stream, rpc };
  }

  it("reports held (smallest HTLC expiry) once, then settled, then ends", async () => {
    const { call, stream, rpc } = setup();
    const done = collect(stream);
    call.emit("data", base);
    call.emit("data", held);
    call.emit("data", held);
    call.emit("data", settled);
    call.emit("data", canceled); // after the end: ignored
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(events).toEqual([
      {
        type: "held",
        paymentHash: HASH,
        receivedMsat: 50_000_001n,
        cltvExpiry: 240,
        htlcs: [
          { state: "held", amountMsat: 25_000_000n, cltvExpiry: 250 },
          { state: "held", amountMsat: 25_000_001n, cltvExpiry: 240 },
        ],
      },
      { type: "settled", paymentHash: HASH, receivedMsat: 50_000_001n },
    ]);
    expect(rpc.calls).toEqual([
      { key: "invoices.SubscribeSingleInvoice", request: { r_hash: Buffer.from(HASH, "hex") } },
    ]);
    expect(call.listenerCount("data")).toBe(0);
  });

  it("sums the held HTLCs when LND's amt_paid lags", async () => {
    const { call, stream } = setup();
    const done = collect(stream);
    call.emit("data", { ...held, amt_paid_msat: "0" });
    call.emit("data", canceled);
    const { events } = await done;
    expect(events[0]).toMatchObject({ type: "held", receivedMsat: 50_000_001n, cltvExpiry: 240 });
  });

  it("reports canceled and ends", async () => {
    const { call, stream } = setup();
    const done = collect(stream);
    call.emit("data", held);
    call.emit("data", canceled);
    expect((await done).events.map((e) => e.type)).toEqual(["held", "canceled"]);
  });

  it("ignores an update for another hash", async () => {
    const { call, stream } = setup();
    const done = collect(stream);
    call.emit("data", { ...held, r_hash: Buffer.alloc(32, 1) });
    call.emit("data", canceled);
    expect((await done).events.map((e) => e.type)).toEqual(["canceled"]);
  });

  const failures: { description: string; emit: (e: FakeLndStream<LndInvoice>) => void; expected: string }[] =
    [
      {
        description: "disconnect (gRPC UNAVAILABLE)",
        emit: (e) => e.emit("error", grpcError(14, "Connection dropped")),
        expected: "ln.unavailable",
      },
      {
        description: "stream end without a final state",
        emit: (e) => e.emit("end"),
        expected: "ln.subscription_closed",
      },
      {
        description: "invoicesrpc not compiled in",
        emit: (e) => e.emit("error", grpcError(12, "unknown service invoicesrpc.Invoices")),
        expected: "ln.missing_subserver",
      },
      {
        description: "unparseable update",
        emit: (e) => e.emit("data", { ...held, creation_date: "" }),
        expected: "ln.unexpected_response",
      },
      {
        description: "malformed amount in an update",
        emit: (e) => e.emit("data", { ...held, amt_paid_msat: "x" }),
        expected: "ln.unexpected_response",
      },
      {
        description: "held without held HTLCs",
        emit: (e) => e.emit("data", { ...held, htlcs: [] }),
        expected: "ln.unexpected_response",
      },
    ];
  it.each(failures)("surfaces $description as $expected", async ({ emit, expected }) => {
    const { call, stream } = setup();
    const done = collect(stream);
    call.emit("data", base);
    emit(call);
    const { events, error } = await done;
    expect(events).toEqual([]);
    expect(error?.code).toBe(expected);
    expect(error?.retryable).toBe(expected === "ln.unavailable" || expected === "ln.subscription_closed");
    expect(call.cancelled).toBe(true);
  });

  it("delivers events queued before an error, then the error", async () => {
    const { call, stream } = setup();
    call.emit("data", held);
    call.emit("error", grpcError(14, "Connection dropped"));
    const { events, error } = await collect(stream);
    expect(events.map((e) => e.type)).toEqual(["held"]);
    expect(error?.code).toBe("ln.unavailable");
  });

  it("close() cancels the gRPC stream and ends iteration", async () => {
    const { call, stream } = setup();
    const done = collect(stream);
    stream.close();
    expect(call.cancelled).toBe(true);
    expect(call.listenerCount("data")).toBe(0);
    call.emit("error", grpcError(1, "Cancelled on client")); // swallowed after close
    expect(await done).toEqual({ events: [] });
  });

  it("validates the hash synchronously and maps a synchronous failure of the client", () => {
    expect(() => subscribeToInvoice(ctxOf({}), "nothex")).toThrow(
      expect.objectContaining({ code: "ln.invalid_argument" }),
    );
    const closed = fakeLndRpc({
      stream: {
        "invoices.SubscribeSingleInvoice": () => {
          throw grpcError(12, "unknown service invoicesrpc.Invoices");
        },
      },
    });
    expect(() => subscribeToInvoice(withRpc(closed), HASH)).toThrow(
      expect.objectContaining({ code: "ln.missing_subserver" }),
    );
  });
});
