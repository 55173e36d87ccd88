/** The pure pieces of the HTTP layer: field checks, wire numbers, token bucket, router. */
import { describe, expect, it } from "vitest";
import { toErrorResponse } from "../../../src/api/http/errors.js";
import { isBolt11Shaped, isCompressedPubkey } from "../../../src/api/http/fields.js";
import { apiRoutes } from "../../../src/api/http/routes/index.js";
import { Router } from "../../../src/api/http/router.js";
import { TokenBucket } from "../../../src/api/http/token-bucket.js";
import { percentageNumber, toWireNumber } from "../../../src/api/http/wire.js";
import { GatewayError } from "../../../src/domain/errors.js";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import { fakeInvoice } from "./helpers.js";

describe("isCompressedPubkey", () => {
  const G = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  it.each([
    [G, true],
    [G.toUpperCase(), true],
    [pubkeyHex(3), true],
    ["03" + G.slice(2), true], // -G is on the curve too
    ["04" + G.slice(2), false],
    [G.slice(2), false],
    ["02" + "00".repeat(32), false], // x = 0 is not on secp256k1
    ["02" + "ff".repeat(32), false], // x ≥ p
    [G + "00", false],
    ["", false],
  ])("%s → %s", (key, ok) => {
    expect(isCompressedPubkey(key)).toBe(ok);
  });
});

describe("isBolt11Shaped", () => {
  it.each([
    [fakeInvoice("lnbc1m"), true],
    [fakeInvoice("lntb"), true],
    [fakeInvoice("lntbs250u"), true],
    [fakeInvoice("lnbcrt1500n"), true],
    [fakeInvoice("lnsb10p"), true],
    [fakeInvoice("lnbcrt100u").toUpperCase(), true],
    [fakeInvoice("lnbc1x"), false], // unknown multiplier
    [fakeInvoice("lno"), false], // BOLT12 offer
    [fakeInvoice("lnurl"), false],
    [fakeInvoice("bc"), false],
    ["lnbc1", false],
    ["", false],
  ])("%s → %s", (invoice, ok) => {
    expect(isBolt11Shaped(invoice)).toBe(ok);
  });
});

describe("wire numbers", () => {
  it("converts safe bigints exactly and refuses the rest", () => {
    expect(toWireNumber(0n, "x")).toBe(0);
    expect(toWireNumber(2_100_000_000_000_000n, "x")).toBe(2_100_000_000_000_000);
    expect(toWireNumber(BigInt(Number.MAX_SAFE_INTEGER), "x")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toWireNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, "x")).toThrow(/JSON number/);
  });
  it("reads decimal percentages", () => {
    expect(percentageNumber("0.1")).toBe(0.1);
    expect(percentageNumber("2")).toBe(2);
    expect(() => percentageNumber("1e3")).toThrow();
    expect(() => percentageNumber("NaN")).toThrow();
  });
});

describe("TokenBucket", () => {
  it("allows a burst, then the refill rate", () => {
    let now = 0;
    const b = new TokenBucket(2, 3, () => now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(b.take()).toBe(false);
    now = 500;
    expect(b.take()).toBe(true);
    now = 100_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });
  it("refuses nonsense parameters", () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
  });
});

describe("Router", () => {
  const router = new Router(apiRoutes("x").routes);
  it("prefers literal segments over parameters", () => {
    const m = router.match("GET", "/v2/swap/submarine");
    expect(m.kind === "found" && m.route.operationId).toBe("getSubmarinePairs");
    const s = router.match("GET", "/v2/swap/abc");
    expect(s.kind === "found" && [s.route.operationId, s.params]).toEqual(["getSwapStatus", { id: "abc" }]);
  });
  it("decodes path parameters", () => {
    const m = router.match("GET", "/v2/swap/a%2Db/transaction".replace("/transaction", ""));
    expect(m.kind === "found" && m.params["id"]).toBe("a-b");
  });
  it("reports 405 with the methods of the best-matching template", () => {
    expect(router.match("PATCH", "/v2/swap/reverse")).toEqual({
      kind: "method_not_allowed",
      allow: ["GET", "POST"],
    });
    expect(router.match("GET", "/v2/swap/x/y")).toEqual({ kind: "not_found" });
  });
  it("refuses a table with duplicate routes", () => {
    const r = apiRoutes("x").routes;
    expect(() => new Router([...r, r[0] as (typeof r)[number]])).toThrow(/duplicate/);
  });
});

describe("toErrorResponse", () => {
  it("never turns a GatewayError with a nonsense status into a 2xx", () => {
    const err = new GatewayError("x.y", "m", { spec: { httpStatus: 200, retryable: false } });
    expect(toErrorResponse(err).status).toBe(500);
  });
  it("hides non-Gateway errors", () => {
    expect(toErrorResponse(new TypeError("boom"))).toEqual({
      status: 500,
      body: { error: "internal error", code: "internal" },
      internal: true,
    });
    expect(toErrorResponse("a string").body.code).toBe("internal");
  });
});
