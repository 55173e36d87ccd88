import { describe, expect, it } from "vitest";
import { decodeInvoice, type LndPayReq } from "../../../src/lightning/lnd/decode-invoice.js";
import { getPayment } from "../../../src/lightning/lnd/get-payment.js";
import { payInvoice } from "../../../src/lightning/lnd/pay-invoice.js";
import type { LndHtlcAttempt, LndPayment } from "../../../src/lightning/lnd/payment-from-ln.js";
import type { PayInvoiceArgs } from "../../../src/swaps/ports/lightning.js";
import { caught, collect, ctxOf, grpcError, HASH, PREIMAGE, PUBKEY } from "../../fakes/lnd-context.js";
import { FakeLndStream, type FakeLndRpc, type FakeLndRpcHandlers } from "../../fakes/fake-lnd-rpc.js";

const BOLT11 = "lnbcrt500u1pjexampleinvoice";
const OTHER = "03" + "e".repeat(64);

/** A context over a fake gRPC client, and the requests it received. */
function rpcCtx(handlers: FakeLndRpcHandlers) {
  const ctx = ctxOf(handlers);
  return { ctx, calls: (ctx.rpc as FakeLndRpc).calls };
}

describe("decodeInvoice", () => {
  // 2025-01-01T00:00:00Z, one hour of expiry
  const decoded: LndPayReq = {
    destination: PUBKEY,
    payment_hash: HASH,
    timestamp: "1735689600",
    expiry: "3600",
    description: "coffee",
    cltv_expiry: "40",
    route_hints: [
      {
        hop_hints: [
          {
            node_id: OTHER,
            // 100x1x0
            chan_id: ((100n << 40n) | (1n << 16n)).toString(),
            fee_base_msat: 1000,
            fee_proportional_millionths: 1,
            cltv_expiry_delta: 40,
          },
        ],
      },
    ],
    payment_addr: Buffer.from("d".repeat(64), "hex"),
    num_msat: "50000001",
    features: { "9": {}, "17": {}, "14": {} },
  };

  it("returns exact msat, sats rounded up, dates and the network from the prefix", async () => {
    const { ctx, calls } = rpcCtx({ unary: { "lightning.DecodePayReq": () => decoded } });
    const res = await decodeInvoice(ctx, `lightning:${BOLT11}`);
    expect(calls).toEqual([{ key: "lightning.DecodePayReq", request: { pay_req: BOLT11 } }]);
    expect(res).toMatchObject({
      paymentHash: HASH,
      destination: PUBKEY,
      amountMsat: 50_000_001n,
      amountSats: 50_001n,
      createdAt: new Date("2025-01-01T00:00:00.000Z"),
      expiresAt: new Date("2025-01-01T01:00:00.000Z"),
      expirySeconds: 3600,
      cltvDelta: 40,
      network: "regtest",
      description: "coffee",
      paymentSecret: "d".repeat(64),
      features: [9, 14, 17],
      isExpired: true,
    });
    // the hint path starts at its first node; each channel leads to the next node, the last to the payee
    expect(res.routeHints).toEqual([
      [
        {
          publicKey: OTHER,
          channel: undefined,
          baseFeeMsat: undefined,
          feeRatePpm: undefined,
          cltvDelta: undefined,
        },
        { publicKey: PUBKEY, channel: "100x1x0", baseFeeMsat: 1000n, feeRatePpm: 1, cltvDelta: 40 },
      ],
    ]);
  });

  it("reads an invoice not yet expired as such", async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const { ctx } = rpcCtx({ unary: { "lightning.DecodePayReq": () => ({ ...decoded, timestamp: now }) } });
    expect(await decodeInvoice(ctx, BOLT11)).toMatchObject({ isExpired: false, expirySeconds: 3600 });
  });

  it("defaults a missing CLTV delta to 18 and reads an amountless invoice as 0", async () => {
    const { ctx } = rpcCtx({
      unary: {
        "lightning.DecodePayReq": () => ({
          ...decoded,
          cltv_expiry: "0",
          num_msat: "0",
          description: "",
          payment_addr: Buffer.alloc(0),
        }),
      },
    });
    expect(await decodeInvoice(ctx, BOLT11)).toMatchObject({
      cltvDelta: 18,
      amountMsat: 0n,
      amountSats: 0n,
      description: undefined,
      paymentSecret: undefined,
    });
  });

  it("refuses a malformed amount from LND instead of guessing", async () => {
    const { ctx } = rpcCtx({ unary: { "lightning.DecodePayReq": () => ({ ...decoded, num_msat: "5e7" }) } });
    expect((await caught(() => decodeInvoice(ctx, BOLT11))).code).toBe("ln.unexpected_response");
  });

  const errors: { description: string; args: string; lndError?: unknown; expected: string }[] = [
    { description: "empty string", args: "", expected: "ln.invalid_argument" },
    { description: "unknown prefix", args: "lnxy1pexample", expected: "ln.invalid_invoice" },
    { description: "an address", args: "bcrt1qexample", expected: "ln.invalid_invoice" },
    {
      description: "another network",
      args: "lnbc500u1pexample",
      lndError: grpcError(2, "invoice not for current active network 'regtest'"),
      expected: "ln.invoice_wrong_network",
    },
    {
      description: "bad checksum",
      args: BOLT11,
      lndError: grpcError(2, "checksum failed. Expected 40jxz5, got c3de33."),
      expected: "ln.invalid_invoice",
    },
    {
      description: "LND down",
      args: BOLT11,
      lndError: grpcError(14, "No connection established"),
      expected: "ln.unavailable",
    },
    {
      description: "bad macaroon",
      args: BOLT11,
      lndError: grpcError(2, "verification failed: signature mismatch after caveat verification"),
      expected: "ln.permission_denied",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ args, lndError, expected }) => {
    const { ctx, calls } = rpcCtx({
      unary: {
        "lightning.DecodePayReq": () => {
          throw lndError;
        },
      },
    });
    expect((await caught(() => decodeInvoice(ctx, args))).code).toBe(expected);
    if (lndError === undefined) expect(calls).toEqual([]);
  });

  it("maps a bad response to ln.unexpected_response", async () => {
    const { ctx } = rpcCtx({ unary: { "lightning.DecodePayReq": () => ({ ...decoded, payment_hash: "" }) } });
    expect((await caught(() => decodeInvoice(ctx, BOLT11))).code).toBe("ln.unexpected_response");
  });
});

function route(totalMsat: string, feeMsat: string, timeLock: number, hops: string[] = [OTHER, PUBKEY]) {
  return {
    total_time_lock: timeLock,
    total_fees_msat: feeMsat,
    total_amt_msat: totalMsat,
    hops: hops.map((pub_key) => ({ pub_key })),
  };
}

function htlc(id: string, status: string, extra: Partial<LndHtlcAttempt> = {}): LndHtlcAttempt {
  return { attempt_id: id, status, route: route("50001500", "1500", 880), failure: null, ...extra };
}

/** LND's lnrpc.Payment as SendPaymentV2 / TrackPaymentV2 stream it. */
function payment(extra: Partial<LndPayment>): LndPayment {
  return {
    payment_hash: HASH,
    payment_preimage: "0".repeat(64),
    value_msat: "50000000",
    fee_msat: "0",
    status: "IN_FLIGHT",
    failure_reason: "FAILURE_REASON_NONE",
    htlcs: [],
    ...extra,
  };
}

describe("payInvoice", () => {
  const args: PayInvoiceArgs = {
    bolt11: BOLT11,
    maxFeeSats: 121n,
    maxTimeoutHeight: 900,
    timeoutSeconds: 30,
    maxPaths: 4,
  };
  /** LND at height 800, the invoice with a 40-block final delta. */
  function setup(a: PayInvoiceArgs = args, payReq: object = { cltv_expiry: "40", features: {} }) {
    const lnd = new FakeLndStream<LndPayment>();
    const { ctx, calls } = rpcCtx({
      unary: {
        "lightning.GetInfo": () => ({ block_height: 800 }),
        "lightning.DecodePayReq": () => payReq,
      },
      stream: { "router.SendPaymentV2": () => lnd },
    });
    const stream = payInvoice(ctx, a);
    return { lnd, stream, calls };
  }
  /** Lets the height and decode calls answer, so SendPaymentV2 has started. */
  const started = () => new Promise((resolve) => setImmediate(resolve));

  it("passes the fee budget in msat, the CLTV limit as a delta from the height, the timeout and MPP parts", async () => {
    const { calls } = setup();
    await started();
    expect(calls.find((c) => c.key === "lightning.DecodePayReq")?.request).toEqual({ pay_req: BOLT11 });
    expect(calls.find((c) => c.key === "router.SendPaymentV2")?.request).toEqual({
      payment_request: BOLT11,
      fee_limit_msat: "121000",
      cltv_limit: 100,
      timeout_seconds: 30,
      max_parts: 4,
      allow_self_payment: true,
      cancelable: true,
      no_inflight_updates: false,
    });
  });

  it("streams attempts and ends with success (fee msat not divisible by 1000 rounds up)", async () => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    const failed = htlc("1", "FAILED", {
      failure: { code: "TEMPORARY_CHANNEL_FAILURE", failure_source_index: 1 },
    });
    lnd.push(payment({ status: "INITIATED" }));
    lnd.push(payment({ htlcs: [htlc("2", "IN_FLIGHT")] }));
    // the failed attempt is reported once, however many updates repeat it
    lnd.push(payment({ htlcs: [failed, htlc("2", "IN_FLIGHT")] }));
    lnd.push(payment({ htlcs: [failed, htlc("2", "IN_FLIGHT")] }));
    lnd.push(
      payment({
        status: "SUCCEEDED",
        payment_preimage: PREIMAGE.toUpperCase(),
        fee_msat: "1501",
        htlcs: [failed, htlc("2", "SUCCEEDED")],
      }),
    );
    const { events, error } = await done;
    expect(error).toBeUndefined();
    const inFlight = {
      type: "in_flight",
      paymentHash: HASH,
      totalMsat: 50_001_500n,
      feeMsat: 1500n,
      paths: 1,
      timeoutHeight: 880,
    };
    expect(events).toEqual([
      inFlight,
      { type: "attempt_failed", reason: "TemporaryChannelFailure", failedAt: OTHER },
      inFlight,
      inFlight,
      {
        type: "succeeded",
        paymentHash: HASH,
        preimage: PREIMAGE,
        amountMsat: 50_000_000n,
        feeMsat: 1501n,
        feeSats: 2n,
      },
    ]);
    // LND ends the stream itself after the final update
    expect(lnd.cancelled).toBe(false);
  });

  it("sums the HTLCs of a multi-path payment in flight", async () => {
    const { lnd, stream } = setup();
    const it = stream[Symbol.asyncIterator]();
    await started();
    lnd.push(
      payment({
        htlcs: [
          htlc("1", "IN_FLIGHT", { route: route("20000700", "700", 870) }),
          htlc("2", "IN_FLIGHT", { route: route("30000800", "800", 890) }),
          htlc("3", "FAILED", { failure: { code: "UNKNOWN_NEXT_PEER", failure_source_index: 0 } }),
        ],
      }),
    );
    expect((await it.next()).value).toEqual({
      type: "attempt_failed",
      reason: "UnknownNextPeer",
      failedAt: undefined,
    });
    expect((await it.next()).value).toEqual({
      type: "in_flight",
      paymentHash: HASH,
      totalMsat: 50_001_500n,
      feeMsat: 1500n,
      paths: 2,
      timeoutHeight: 890,
    });
    stream.close();
    expect(lnd.cancelled).toBe(true);
  });

  const failures: { description: string; reason: string; expected: { reason: string; code: string } }[] = [
    {
      description: "no route",
      reason: "FAILURE_REASON_NO_ROUTE",
      expected: { reason: "no_route", code: "ln.no_route" },
    },
    {
      description: "no balance",
      reason: "FAILURE_REASON_INSUFFICIENT_BALANCE",
      expected: { reason: "insufficient_balance", code: "ln.insufficient_balance" },
    },
    {
      description: "rejected by payee",
      reason: "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS",
      expected: { reason: "incorrect_payment_details", code: "ln.incorrect_payment_details" },
    },
    {
      description: "pathfinding timeout",
      reason: "FAILURE_REASON_TIMEOUT",
      expected: { reason: "timeout", code: "ln.payment_timeout" },
    },
    {
      description: "canceled",
      reason: "FAILURE_REASON_CANCELED",
      expected: { reason: "canceled", code: "ln.payment_canceled" },
    },
    {
      description: "other",
      reason: "FAILURE_REASON_ERROR",
      expected: { reason: "error", code: "ln.payment_failed" },
    },
  ];
  it.each(failures)("ends with a definite failure: $description", async ({ reason, expected }) => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.push(payment({ status: "FAILED", failure_reason: reason }));
    expect((await done).events).toEqual([{ type: "failed", ...expected }]);
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "already paid",
      lndError: grpcError(6, "invoice is already paid"),
      expected: "ln.already_paid",
    },
    {
      description: "in flight",
      lndError: grpcError(6, "payment is in transition"),
      expected: "ln.payment_in_flight",
    },
    {
      description: "expired",
      lndError: grpcError(2, "invoice expired. Valid until 2025-01-01 00:00:00 +0000 UTC"),
      expected: "ln.invoice_expired",
    },
    {
      description: "disconnect",
      lndError: grpcError(14, "Connection dropped"),
      expected: "ln.unavailable",
    },
    {
      description: "no routerrpc",
      lndError: grpcError(12, "unknown service routerrpc.Router"),
      expected: "ln.missing_subserver",
    },
    {
      description: "unknown LND text",
      lndError: grpcError(2, "something new"),
      expected: "ln.unexpected",
    },
  ];
  it.each(errors)("throws $expected on $description", async ({ lndError, expected }) => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.fail(lndError);
    expect((await done).error?.code).toBe(expected);
  });

  it("reads LND's refusal of a CLTV limit at the padded final delta as a definite no_route failure", async () => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.fail(grpcError(2, "cltv limit 43 should be greater than 43"));
    expect(await done).toEqual({ events: [{ type: "failed", reason: "no_route", code: "ln.no_route" }] });
  });

  it("throws ln.subscription_closed when LND ends the stream before the outcome", async () => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.push(payment({ htlcs: [htlc("1", "IN_FLIGHT")] }));
    setImmediate(() => setImmediate(() => lnd.emit("end")));
    const { events, error } = await done;
    expect(events.map((e) => e.type)).toEqual(["in_flight"]);
    expect(error?.code).toBe("ln.subscription_closed");
  });

  it("refuses a CLTV limit below height + final delta + 3 without reaching SendPaymentV2", async () => {
    // height 800, final delta 40: 843 is the lowest limit accepted
    const low = setup({ ...args, maxTimeoutHeight: 842 });
    expect((await collect(low.stream)).error?.code).toBe("ln.cltv_limit_too_low");
    expect(low.calls.map((c) => c.key)).not.toContain("router.SendPaymentV2");
    const ok = setup({ ...args, maxTimeoutHeight: 843 });
    await started();
    expect(ok.calls.find((c) => c.key === "router.SendPaymentV2")?.request).toMatchObject({ cltv_limit: 43 });
    ok.stream.close();
  });

  it("reads an invoice without a final delta as BOLT11's 18 blocks", async () => {
    const { stream, calls } = setup({ ...args, maxTimeoutHeight: 820 }, { cltv_expiry: "0", features: {} });
    expect((await collect(stream)).error?.code).toBe("ln.cltv_limit_too_low");
    expect(calls.map((c) => c.key)).not.toContain("router.SendPaymentV2");
  });

  it("refuses an AMP-only invoice (feature bit 30) without reaching SendPaymentV2", async () => {
    const { stream, calls } = setup(args, { cltv_expiry: "40", features: { "9": {}, "30": {} } });
    expect((await collect(stream)).error?.code).toBe("ln.unsupported_feature");
    expect(calls.map((c) => c.key)).not.toContain("router.SendPaymentV2");
  });

  it("fails on a malformed fee amount instead of guessing", async () => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.push(payment({ status: "SUCCEEDED", payment_preimage: PREIMAGE, fee_msat: "1e3" }));
    expect((await done).error?.code).toBe("ln.unexpected_response");
  });

  it("fails on a settled payment without a preimage", async () => {
    const { lnd, stream } = setup();
    const done = collect(stream);
    await started();
    lnd.push(payment({ status: "SUCCEEDED" }));
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
    const { ctx, calls } = rpcCtx({});
    expect(() => payInvoice(ctx, { ...args, ...bad } as PayInvoiceArgs)).toThrow(
      expect.objectContaining({ code: "ln.invalid_argument", details: { field } }),
    );
    expect(calls).toEqual([]);
  });

  it("rejects a string that is no BOLT11 invoice synchronously", () => {
    const { ctx, calls } = rpcCtx({});
    expect(() => payInvoice(ctx, { ...args, bolt11: "bcrt1qexample" })).toThrow(
      expect.objectContaining({ code: "ln.invalid_invoice" }),
    );
    expect(calls).toEqual([]);
  });

  it("maps LND's refusal to decode the invoice, without reaching SendPaymentV2", async () => {
    const { ctx, calls } = rpcCtx({
      unary: {
        "lightning.GetInfo": () => ({ block_height: 800 }),
        "lightning.DecodePayReq": () => {
          throw grpcError(2, "invalid index of 1");
        },
      },
    });
    expect((await collect(payInvoice(ctx, args))).error?.code).toBe("ln.invalid_invoice");
    expect(calls.map((c) => c.key)).not.toContain("router.SendPaymentV2");
  });
});

describe("getPayment", () => {
  const table: { description: string; lndResult?: LndPayment; lndError?: unknown; expected: object }[] = [
    {
      description: "never paid",
      lndError: grpcError(5, "payment isn't initiated"),
      expected: { status: "none" },
    },
    {
      description: "in flight",
      lndResult: payment({ htlcs: [htlc("1", "IN_FLIGHT")] }),
      expected: { status: "in_flight" },
    },
    {
      description: "in flight between attempts",
      lndResult: payment({
        htlcs: [
          htlc("1", "FAILED", { failure: { code: "TEMPORARY_CHANNEL_FAILURE", failure_source_index: 1 } }),
        ],
      }),
      expected: { status: "in_flight" },
    },
    {
      description: "recorded, no HTLC sent yet",
      lndResult: payment({ status: "INITIATED" }),
      expected: { status: "in_flight" },
    },
    {
      description: "succeeded",
      lndResult: payment({
        status: "SUCCEEDED",
        payment_preimage: PREIMAGE,
        value_msat: "1000000",
        fee_msat: "999",
      }),
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
      lndResult: payment({ status: "FAILED", failure_reason: "FAILURE_REASON_NO_ROUTE" }),
      expected: { status: "failed", reason: "no_route", code: "ln.no_route" },
    },
  ];
  it.each(table)("$description", async ({ lndResult, lndError, expected }) => {
    const lnd = new FakeLndStream<LndPayment>();
    if (lndResult !== undefined) lnd.push(lndResult);
    else lnd.fail(lndError);
    const { ctx, calls } = rpcCtx({ stream: { "router.TrackPaymentV2": () => lnd } });
    expect(await getPayment(ctx, HASH)).toEqual(expected);
    expect(calls).toEqual([
      {
        key: "router.TrackPaymentV2",
        request: { payment_hash: Buffer.from(HASH, "hex"), no_inflight_updates: false },
      },
    ]);
    // one answer is all we read
    expect(lnd.cancelled).toBe(true);
  });

  const errors: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "no routerrpc",
      lndError: grpcError(12, "unknown service routerrpc.Router"),
      expected: "ln.missing_subserver",
    },
    {
      description: "LND down",
      lndError: grpcError(14, "No connection established"),
      expected: "ln.unavailable",
    },
  ];
  it.each(errors)("maps $description to $expected", async ({ lndError, expected }) => {
    const { ctx } = rpcCtx({ stream: { "router.TrackPaymentV2": () => new FakeLndStream().fail(lndError) } });
    expect((await caught(() => getPayment(ctx, HASH))).code).toBe(expected);
  });

  it("maps a stream that ends without an answer to ln.subscription_closed", async () => {
    const lnd = new FakeLndStream();
    setImmediate(() => lnd.emit("end"));
    const { ctx } = rpcCtx({ stream: { "router.TrackPaymentV2": () => lnd } });
    expect((await caught(() => getPayment(ctx, HASH))).code).toBe("ln.subscription_closed");
  });

  it("times out with a retryable error instead of hanging, and cancels the stream", async () => {
    const lnd = new FakeLndStream();
    const { ctx } = rpcCtx({ stream: { "router.TrackPaymentV2": () => lnd } });
    const err = await caught(() => getPayment(ctx, HASH, 20));
    expect(err).toMatchObject({ code: "ln.timeout", retryable: true });
    expect(lnd.cancelled).toBe(true);
  });

  it("refuses a settled payment without a valid preimage", async () => {
    const lnd = new FakeLndStream<LndPayment>().push(
      payment({ status: "SUCCEEDED", payment_preimage: "", value_msat: "1", fee_msat: "0" }),
    );
    const { ctx } = rpcCtx({ stream: { "router.TrackPaymentV2": () => lnd } });
    expect((await caught(() => getPayment(ctx, HASH))).code).toBe("ln.unexpected_response");
  });

  it("refuses a malformed hash before asking LND", async () => {
    const { ctx, calls } = rpcCtx({});
    expect((await caught(() => getPayment(ctx, "xyz"))).code).toBe("ln.invalid_argument");
    expect(calls).toEqual([]);
  });
});
