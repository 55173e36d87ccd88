import { describe, expect, it, vi } from "vitest";
import { getInvoice } from "../../../src/lightning/lnd/get-invoice.js";
import type { LnInvoice } from "../../../src/lightning/lnd/ln-service.js";
import { subscribeToInvoice } from "../../../src/lightning/lnd/subscribe-to-invoice.js";
import {
  caught,
  collect,
  ctxOf,
  FakeEmitter,
  grpcError,
  HASH,
  LND,
  lnReject,
  PREIMAGE,
} from "../../fakes/fake-ln-service.js";

const base: LnInvoice = {
  id: HASH,
  cltv_delta: 80,
  created_at: "2025-01-01T00:00:00.000Z",
  expires_at: "2025-01-01T01:00:00.000Z",
  is_confirmed: false,
  mtokens: "50000000",
  payments: [],
  received_mtokens: "0",
  request: "lnbcrt500u1p...",
  secret: "",
};
const htlc = (timeout: number, mtokens = "25000000") => ({
  is_canceled: false,
  is_confirmed: false,
  is_held: true,
  mtokens,
  timeout,
});
const held: LnInvoice = {
  ...base,
  is_held: true,
  received_mtokens: "50000001",
  payments: [htlc(250), htlc(240, "25000001")],
};
const settled: LnInvoice = {
  ...base,
  is_confirmed: true,
  received_mtokens: "50000001",
  secret: PREIMAGE,
  payments: [
    { ...htlc(250), is_held: false, is_confirmed: true },
    { ...htlc(240, "25000001"), is_held: false, is_confirmed: true },
  ],
};
const canceled: LnInvoice = { ...base, is_canceled: true, secret: "0".repeat(64) };

describe("getInvoice", () => {
  const results: { description: string; lndResult: LnInvoice; expected: object }[] = [
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
    const ln = { getInvoice: vi.fn().mockResolvedValue(lndResult) };
    const inv = await getInvoice(ctxOf(ln), HASH);
    expect(ln.getInvoice).toHaveBeenCalledWith({ lnd: LND, id: HASH });
    expect(inv).toMatchObject({ paymentHash: HASH, amountMsat: 50_000_000n, cltvDelta: 80, ...expected });
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "unknown hash",
      lndError: lnReject(503, "UnexpectedLookupInvoiceErr", grpcError(5, "unable to locate invoice")),
      expected: "ln.invoice_not_found",
    },
    {
      description: "LND down",
      lndError: lnReject(
        503,
        "UnexpectedLookupInvoiceErr",
        grpcError(14, "failed to connect to all addresses"),
      ),
      expected: "ln.unavailable",
    },
    {
      description: "locked wallet",
      lndError: lnReject(503, "UnexpectedLookupInvoiceErr", grpcError(12, "unknown service lnrpc.Lightning")),
      expected: "ln.wallet_locked",
    },
    {
      description: "bad response",
      lndError: lnReject(503, "ExpectedInvoiceCreationDateInResponse"),
      expected: "ln.unexpected_response",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ lndError, expected }) => {
    const err = await caught(() =>
      getInvoice(ctxOf({ getInvoice: vi.fn().mockRejectedValue(lndError) }), HASH),
    );
    expect(err.code).toBe(expected);
  });

  it("refuses a malformed msat amount from LND", async () => {
    const ln = { getInvoice: vi.fn().mockResolvedValue({ ...base, received_mtokens: "1.5" }) };
    expect((await caught(() => getInvoice(ctxOf(ln), HASH))).code).toBe("ln.unexpected_response");
  });
});

describe("subscribeToInvoice", () => {
  function setup() {
    const emitter = new FakeEmitter();
    const subscribeToInvoice_ = vi.fn().mockReturnValue(emitter);
    const stream = subscribeToInvoice(ctxOf({ subscribeToInvoice: subscribeToInvoice_ }), HASH);
    return { emitter, stream, subscribeToInvoice_ };
  }

  it("reports held (smallest HTLC expiry) once, then settled, then ends", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("invoice_updated", base);
    emitter.emit("invoice_updated", held);
    emitter.emit("invoice_updated", held);
    emitter.emit("invoice_updated", settled);
    emitter.emit("invoice_updated", canceled); // after the end: ignored
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
    expect(emitter.listenerCount("invoice_updated")).toBe(0);
  });

  it("sums the held HTLCs when LND's amt_paid lags", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("invoice_updated", { ...held, received_mtokens: "0" });
    emitter.emit("invoice_updated", canceled);
    const { events } = await done;
    expect(events[0]).toMatchObject({ type: "held", receivedMsat: 50_000_001n, cltvExpiry: 240 });
  });

  it("reports canceled and ends", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("invoice_updated", held);
    emitter.emit("invoice_updated", canceled);
    expect((await done).events.map((e) => e.type)).toEqual(["held", "canceled"]);
  });

  const failures: { description: string; emit: (e: FakeEmitter) => void; expected: string }[] = [
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
      description: "unparseable update",
      emit: (e) => e.emit("error", [503, "ExpectedInvoiceSettleDate"]),
      expected: "ln.unexpected_response",
    },
    {
      description: "malformed amount in an update",
      emit: (e) => e.emit("invoice_updated", { ...held, received_mtokens: "x" }),
      expected: "ln.unexpected_response",
    },
    {
      description: "held without held HTLCs",
      emit: (e) => e.emit("invoice_updated", { ...held, payments: [] }),
      expected: "ln.unexpected_response",
    },
  ];
  it.each(failures)("surfaces $description as $expected", async ({ emit, expected }) => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("invoice_updated", base);
    emit(emitter);
    const { events, error } = await done;
    expect(events).toEqual([]);
    expect(error?.code).toBe(expected);
    expect(error?.retryable).toBe(expected === "ln.unavailable" || expected === "ln.subscription_closed");
  });

  it("delivers events queued before an error, then the error", async () => {
    const { emitter, stream } = setup();
    emitter.emit("invoice_updated", held);
    emitter.emit("error", grpcError(14, "Connection dropped"));
    const { events, error } = await collect(stream);
    expect(events.map((e) => e.type)).toEqual(["held"]);
    expect(error?.code).toBe("ln.unavailable");
  });

  it("close() detaches from ln-service and ends iteration", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    stream.close();
    expect(emitter.listenerCount("invoice_updated")).toBe(0);
    emitter.emit("error", grpcError(1, "Cancelled on client")); // swallowed after close
    expect(await done).toEqual({ events: [] });
  });

  it("validates the hash synchronously and maps ln-service's synchronous throw", () => {
    expect(() => subscribeToInvoice(ctxOf({}), "nothex")).toThrow(
      expect.objectContaining({ code: "ln.invalid_argument" }),
    );
    const throwing = vi.fn(() => {
      throw new Error("ExpectedInvoiceLndToSubscribeToSingleInvoice");
    });
    expect(() => subscribeToInvoice(ctxOf({ subscribeToInvoice: throwing }), HASH)).toThrow(
      expect.objectContaining({ code: "ln.missing_subserver" }),
    );
  });
});
