/**
 * The adapter against the REAL ln-service functions, with a fake gRPC `lnd` object answering
 * the way LND does. This pins our reading of ln-service's error shapes: if an ln-service
 * upgrade renames an error or changes a wrapper, these fail.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { getPayment } from "../../../src/lightning/lnd/get-payment.js";
import { loadLnService, type LndContext } from "../../../src/lightning/lnd/ln-service.js";
import { payInvoice } from "../../../src/lightning/lnd/pay-invoice.js";
import { collect, grpcError, HASH } from "../../fakes/fake-ln-service.js";
import { fakeLndRpc } from "../../fakes/fake-lnd-rpc.js";

/** A stream that errors on the next tick, like a gRPC server stream LND rejects. */
function erroringStream(err: unknown) {
  return () => {
    const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
    setImmediate(() => stream.emit("error", err));
    return stream;
  };
}

const ctx = (lnd: object): LndContext => ({ ln: loadLnService(), lnd, rpc: fakeLndRpc() });
// A regtest invoice (40-block final CLTV) signed with a throwaway key, so ln-service's own
// BOLT11 parsing accepts it.
const REGTEST_INVOICE =
  "lnbcrt10u1p4sp0f8pp5424242424242424242424242424242424242424242424242424q9qrssqxqy7sjqdqzwssp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygsnp4q2vfczmkedtrju0aexl0x8kqds6kpueyn4hwnewc83tky4vkup0k7cqzpg0ewwjutmufp5nz746slcam950qlm2tdwv34fmzwmkr6wuqgy7j3hejl00kxrsug0xdg6ea09cw20p6xymtv5m3kaacazvmt42c8h0tsp9c5jme";

/** chainrpc block epochs at height 100, which ln-service reads to turn the CLTV limit into a delta. */
function chainAt(height: number) {
  return {
    registerBlockEpochNtfn: () => {
      const stream = Object.assign(new EventEmitter(), { cancel: () => undefined });
      setImmediate(() => stream.emit("data", { hash: Buffer.alloc(32, 1), height }));
      return stream;
    },
  };
}

describe("against the real ln-service", () => {
  it("TrackPaymentV2 for a hash never paid is status none", async () => {
    const lnd = { router: { trackPaymentV2: erroringStream(grpcError(5, "payment isn't initiated")) } };
    expect(await getPayment(ctx(lnd), HASH)).toEqual({ status: "none" });
  });

  const payErrors: { description: string; err: unknown; expected: string }[] = [
    {
      description: "already paid",
      err: grpcError(6, "invoice is already paid"),
      expected: "ln.already_paid",
    },
    {
      description: "in flight",
      err: grpcError(6, "payment is in transition"),
      expected: "ln.payment_in_flight",
    },
    {
      description: "expired",
      err: grpcError(2, "invoice expired. Valid until 2025-01-01 00:00:00 +0000 UTC"),
      expected: "ln.invoice_expired",
    },
    { description: "disconnect", err: grpcError(14, "Connection dropped"), expected: "ln.unavailable" },
  ];
  it.each(payErrors)("SendPaymentV2 $description → $expected", async ({ err, expected }) => {
    const lnd = { chain: chainAt(100), router: { sendPaymentV2: erroringStream(err) } };
    const stream = payInvoice(ctx(lnd), {
      bolt11: REGTEST_INVOICE,
      maxFeeSats: 10n,
      maxTimeoutHeight: 200,
      timeoutSeconds: 5,
      maxPaths: 1,
    });
    expect((await collect(stream)).error?.code).toBe(expected);
  });

  it("SendPaymentV2 with a CLTV limit below height + final delta + 3 never reaches LND", async () => {
    let called = false;
    const lnd = {
      chain: chainAt(100),
      router: { sendPaymentV2: () => ((called = true), erroringStream(new Error("x"))()) },
    };
    const stream = payInvoice(ctx(lnd), {
      bolt11: REGTEST_INVOICE,
      maxFeeSats: 10n,
      maxTimeoutHeight: 142,
      timeoutSeconds: 5,
      maxPaths: 1,
    });
    expect((await collect(stream)).error?.code).toBe("ln.cltv_limit_too_low");
    expect(called).toBe(false);
  });

  it("SendPaymentV2 'cltv limit' rejection is a definite no_route failure", async () => {
    const lnd = {
      chain: chainAt(100),
      router: { sendPaymentV2: erroringStream(grpcError(2, "cltv limit 60 should be greater than 80")) },
    };
    const stream = payInvoice(ctx(lnd), {
      bolt11: REGTEST_INVOICE,
      maxFeeSats: 10n,
      maxTimeoutHeight: 160,
      timeoutSeconds: 5,
      maxPaths: 1,
    });
    expect(await collect(stream)).toEqual({
      events: [{ type: "failed", reason: "no_route", code: "ln.no_route" }],
    });
  });
});
