import { describe, expect, it, vi } from "vitest";
import { decodeInvoice } from "../../../src/lightning/lnd/decode-invoice.js";
import { getPayment } from "../../../src/lightning/lnd/get-payment.js";
import type { LnDecodedRequest } from "../../../src/lightning/lnd/ln-service.js";
import { payInvoice } from "../../../src/lightning/lnd/pay-invoice.js";
import type { PayInvoiceArgs } from "../../../src/swaps/ports/lightning.js";
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
  PUBKEY,
} from "../../fakes/fake-ln-service.js";

const BOLT11 = "lnbcrt500u1pjexampleinvoice";

describe("decodeInvoice", () => {
  const decoded: LnDecodedRequest = {
    cltv_delta: 40,
    created_at: "2025-01-01T00:00:00.000Z",
    description: "coffee",
    destination: PUBKEY,
    expires_at: "2025-01-01T01:00:00.000Z",
    features: [{ bit: 9 }, { bit: 14 }, { bit: 17 }],
    id: HASH,
    is_expired: false,
    mtokens: "50000001",
    payment: "d".repeat(64),
    routes: [
      [
        { public_key: PUBKEY },
        {
          public_key: "03" + "e".repeat(64),
          channel: "100x1x0",
          base_fee_mtokens: "1000",
          fee_rate: 1,
          cltv_delta: 40,
        },
      ],
    ],
  };

  it("returns exact msat, sats rounded up, dates and the network from the prefix", async () => {
    const ln = { decodePaymentRequest: vi.fn().mockResolvedValue(decoded) };
    const res = await decodeInvoice(ctxOf(ln), `lightning:${BOLT11}`);
    expect(ln.decodePaymentRequest).toHaveBeenCalledWith({ lnd: LND, request: BOLT11 });
    expect(res).toMatchObject({
      paymentHash: HASH,
      destination: PUBKEY,
      amountMsat: 50_000_001n,
      amountSats: 50_001n,
      expirySeconds: 3600,
      cltvDelta: 40,
      network: "regtest",
      description: "coffee",
      features: [9, 14, 17],
      isExpired: false,
    });
    expect(res.routeHints[0]?.[1]).toEqual({
      publicKey: "03" + "e".repeat(64),
      channel: "100x1x0",
      baseFeeMsat: 1000n,
      feeRatePpm: 1,
      cltvDelta: 40,
    });
  });

  it("defaults a missing CLTV delta to 18 and reads an amountless invoice as 0", async () => {
    const ln = {
      decodePaymentRequest: vi.fn().mockResolvedValue({ ...decoded, cltv_delta: undefined, mtokens: "0" }),
    };
    expect(await decodeInvoice(ctxOf(ln), BOLT11)).toMatchObject({
      cltvDelta: 18,
      amountMsat: 0n,
      amountSats: 0n,
    });
  });

  const errors: { description: string; args: string; lndError?: unknown; expected: string }[] = [
    { description: "empty string", args: "", expected: "ln.invalid_argument" },
    { description: "unknown prefix", args: "lnxy1pexample", expected: "ln.invalid_invoice" },
    { description: "an address", args: "bcrt1qexample", expected: "ln.invalid_invoice" },
    {
      description: "another network",
      args: "lnbc500u1pexample",
      lndError: lnReject(
        503,
        "UnexpectedDecodePaymentRequestError",
        grpcError(2, "invoice not for current active network 'regtest'"),
      ),
      expected: "ln.invoice_wrong_network",
    },
    {
      description: "bad checksum",
      args: BOLT11,
      lndError: lnReject(
        503,
        "UnexpectedDecodePaymentRequestError",
        grpcError(2, "checksum failed. Expected 40jxz5, got c3de33."),
      ),
      expected: "ln.invalid_invoice",
    },
    {
      description: "LND down",
      args: BOLT11,
      lndError: lnReject(
        503,
        "UnexpectedDecodePaymentRequestError",
        grpcError(14, "No connection established"),
      ),
      expected: "ln.unavailable",
    },
    {
      description: "bad response",
      args: BOLT11,
      lndError: lnReject(503, "ExpectedPaymentHashFromDecodePayReqResponse"),
      expected: "ln.unexpected_response",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ args, lndError, expected }) => {
    const ln = { decodePaymentRequest: vi.fn().mockRejectedValue(lndError) };
    expect((await caught(() => decodeInvoice(ctxOf(ln), args))).code).toBe(expected);
    if (lndError === undefined) expect(ln.decodePaymentRequest).not.toHaveBeenCalled();
  });
});

describe("payInvoice", () => {
  const args: PayInvoiceArgs = {
    bolt11: BOLT11,
    maxFeeSats: 121n,
    maxTimeoutHeight: 900,
    timeoutSeconds: 30,
    maxPaths: 4,
  };
  function setup(a: PayInvoiceArgs = args) {
    const emitter = new FakeEmitter();
    const subscribeToPayViaRequest = vi.fn().mockReturnValue(emitter);
    const stream = payInvoice(ctxOf({ subscribeToPayViaRequest }), a);
    return { emitter, stream, subscribeToPayViaRequest };
  }

  it("passes the fee budget in msat, the CLTV limit, ms timeout and MPP parts", () => {
    const { subscribeToPayViaRequest } = setup();
    expect(subscribeToPayViaRequest).toHaveBeenCalledWith({
      lnd: LND,
      request: BOLT11,
      max_fee_mtokens: "121000",
      max_timeout_height: 900,
      pathfinding_timeout: 30_000,
      max_paths: 4,
    });
  });

  it("streams attempts and ends with success (fee msat not divisible by 1000 rounds up)", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("paying", {
      id: HASH,
      mtokens: "50001500",
      paths: [{ fee_mtokens: "1500", timeout: 880 }],
      timeout: 880,
    });
    emitter.emit("routing_failure", { reason: "TemporaryChannelFailure", public_key: PUBKEY });
    emitter.emit("confirmed", {
      id: HASH,
      mtokens: "50001501",
      fee_mtokens: "1501",
      secret: PREIMAGE.toUpperCase(),
    });
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(events).toEqual([
      {
        type: "in_flight",
        paymentHash: HASH,
        totalMsat: 50_001_500n,
        feeMsat: 1500n,
        paths: 1,
        timeoutHeight: 880,
      },
      { type: "attempt_failed", reason: "TemporaryChannelFailure", failedAt: PUBKEY },
      {
        type: "succeeded",
        paymentHash: HASH,
        preimage: PREIMAGE,
        amountMsat: 50_000_000n,
        feeMsat: 1501n,
        feeSats: 2n,
      },
    ]);
  });

  const failures: { description: string; lndResult: object; expected: { reason: string; code: string } }[] = [
    {
      description: "no route",
      lndResult: { is_route_not_found: true },
      expected: { reason: "no_route", code: "ln.no_route" },
    },
    {
      description: "no balance",
      lndResult: { is_insufficient_balance: true },
      expected: { reason: "insufficient_balance", code: "ln.insufficient_balance" },
    },
    {
      description: "rejected by payee",
      lndResult: { is_invalid_payment: true },
      expected: { reason: "incorrect_payment_details", code: "ln.incorrect_payment_details" },
    },
    {
      description: "pathfinding timeout",
      lndResult: { is_pathfinding_timeout: true },
      expected: { reason: "timeout", code: "ln.payment_timeout" },
    },
    {
      description: "canceled",
      lndResult: { is_canceled: true },
      expected: { reason: "canceled", code: "ln.payment_canceled" },
    },
    { description: "other", lndResult: {}, expected: { reason: "error", code: "ln.payment_failed" } },
  ];
  it.each(failures)("ends with a definite failure: $description", async ({ lndResult, expected }) => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("failed", { id: HASH, ...lndResult });
    expect((await done).events).toEqual([{ type: "failed", ...expected }]);
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "already paid",
      lndError: lnReject(503, "UnexpectedPaymentError", grpcError(6, "invoice is already paid")),
      expected: "ln.already_paid",
    },
    {
      description: "in flight",
      lndError: lnReject(503, "UnexpectedPaymentError", grpcError(6, "payment is in transition")),
      expected: "ln.payment_in_flight",
    },
    {
      description: "expired",
      lndError: lnReject(
        503,
        "UnexpectedPaymentError",
        grpcError(2, "invoice expired. Valid until 2025-01-01 00:00:00 +0000 UTC"),
      ),
      expected: "ln.invoice_expired",
    },
    {
      description: "CLTV limit below the final delta",
      lndError: lnReject(400, "MaxTimeoutTooNearCurrentHeightToMakePayment"),
      expected: "ln.cltv_limit_too_low",
    },
    {
      description: "AMP-only feature",
      lndError: lnReject(501, "UnsupportedPaymentFeatureInPayRequest", undefined),
      expected: "ln.unsupported_feature",
    },
    {
      description: "disconnect",
      lndError: lnReject(503, "UnexpectedPaymentError", grpcError(14, "Connection dropped")),
      expected: "ln.unavailable",
    },
    {
      description: "no routerrpc",
      lndError: lnReject(503, "UnexpectedPaymentError", grpcError(12, "unknown service routerrpc.Router")),
      expected: "ln.missing_subserver",
    },
    {
      description: "unparseable update",
      lndError: [503, "ExpectedPaymentHashForPaymentAsFailedPayment"],
      expected: "ln.unexpected_response",
    },
    {
      description: "unknown LND text",
      lndError: lnReject(503, "UnexpectedPaymentError", grpcError(2, "something new")),
      expected: "ln.unexpected",
    },
  ];
  it.each(errors)("throws $expected on $description", async ({ lndError, expected }) => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("error", lndError);
    expect((await done).error?.code).toBe(expected);
  });

  it("fails on a malformed fee amount instead of guessing", async () => {
    const { emitter, stream } = setup();
    const done = collect(stream);
    emitter.emit("confirmed", { id: HASH, mtokens: "1000", fee_mtokens: "1e3", secret: PREIMAGE });
    expect((await done).error?.code).toBe("ln.unexpected_response");
  });

  const invalid: {
    description: string;
    args: Partial<Record<keyof PayInvoiceArgs, unknown>>;
    field: string;
  }[] = [
    { description: "blank invoice", args: { bolt11: " " }, field: "bolt11" },
    { description: "negative fee", args: { maxFeeSats: -1n }, field: "maxFeeSats" },
    { description: "number fee", args: { maxFeeSats: 10 }, field: "maxFeeSats" },
    { description: "zero CLTV limit", args: { maxTimeoutHeight: 0 }, field: "maxTimeoutHeight" },
    {
      description: "timestamp as CLTV limit",
      args: { maxTimeoutHeight: 1_700_000_000 },
      field: "maxTimeoutHeight",
    },
    { description: "zero timeout", args: { timeoutSeconds: 0 }, field: "timeoutSeconds" },
    { description: "zero paths", args: { maxPaths: 0 }, field: "maxPaths" },
  ];
  it.each(invalid)("rejects $description synchronously", ({ args: bad, field }) => {
    const subscribeToPayViaRequest = vi.fn();
    expect(() =>
      payInvoice(ctxOf({ subscribeToPayViaRequest }), { ...args, ...bad } as PayInvoiceArgs),
    ).toThrow(expect.objectContaining({ code: "ln.invalid_argument", details: { field } }));
    expect(subscribeToPayViaRequest).not.toHaveBeenCalled();
  });

  it("maps ln-service's synchronous invoice check", () => {
    const subscribeToPayViaRequest = vi.fn(() => {
      throw new Error("ExpectedValidPaymentRequestToMakePayment");
    });
    expect(() => payInvoice(ctxOf({ subscribeToPayViaRequest }), args)).toThrow(
      expect.objectContaining({ code: "ln.invalid_invoice" }),
    );
  });
});

describe("getPayment", () => {
  const table: { description: string; lndResult?: object; lndError?: unknown; expected: object }[] = [
    {
      description: "never paid",
      lndError: lnReject(404, "SentPaymentNotFound"),
      expected: { status: "none" },
    },
    {
      description: "in flight",
      lndResult: { is_pending: true, pending: {} },
      expected: { status: "in_flight" },
    },
    {
      description: "succeeded",
      lndResult: {
        is_confirmed: true,
        payment: { secret: PREIMAGE, mtokens: "1000999", fee_mtokens: "999" },
      },
      expected: {
        status: "succeeded",
        preimage: PREIMAGE,
        amountMsat: 1_000_000n,
        feeMsat: 999n,
        feeSats: 1n,
      },
    },
    {
      description: "failed, no route",
      lndResult: { is_failed: true, failed: { is_route_not_found: true } },
      expected: { status: "failed", reason: "no_route", code: "ln.no_route" },
    },
  ];
  it.each(table)("$description", async ({ lndResult, lndError, expected }) => {
    const impl =
      lndError === undefined ? vi.fn().mockResolvedValue(lndResult) : vi.fn().mockRejectedValue(lndError);
    expect(await getPayment(ctxOf({ getPayment: impl }), HASH)).toEqual(expected);
    expect(impl).toHaveBeenCalledWith({ lnd: LND, id: HASH });
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "no routerrpc",
      lndError: lnReject(503, "UnexpectedGetPaymentError", grpcError(12, "unknown service routerrpc.Router")),
      expected: "ln.missing_subserver",
    },
    {
      description: "LND down",
      lndError: lnReject(503, "UnexpectedGetPaymentError", grpcError(14, "No connection established")),
      expected: "ln.unavailable",
    },
    {
      description: "stream ended",
      lndError: lnReject(503, "UnknownStatusOfPayment"),
      expected: "ln.subscription_closed",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ lndError, expected }) => {
    expect(
      (await caught(() => getPayment(ctxOf({ getPayment: vi.fn().mockRejectedValue(lndError) }), HASH))).code,
    ).toBe(expected);
  });

  it("times out with a retryable error instead of hanging", async () => {
    const err = await caught(() =>
      getPayment(ctxOf({ getPayment: () => new Promise(() => undefined) }), HASH, 20),
    );
    expect(err).toMatchObject({ code: "ln.timeout", retryable: true });
  });

  it("refuses a settled payment without a valid preimage", async () => {
    const ln = {
      getPayment: vi
        .fn()
        .mockResolvedValue({ is_confirmed: true, payment: { secret: "", mtokens: "1", fee_mtokens: "0" } }),
    };
    expect((await caught(() => getPayment(ctxOf(ln), HASH))).code).toBe("ln.unexpected_response");
  });
});
