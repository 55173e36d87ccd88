/**
 * Malformed requests, unknown ids and routes, and service failures: every one is a JSON
 * `{error, code}` answer with the right status (table-driven), and nothing reaches the service
 * unless the request is valid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayError } from "../../../src/domain/errors.js";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import { PSBT_B64, fakeInvoice, startHarness, type Harness } from "./helpers.js";

const KEY = pubkeyHex(9);
const HASH = "ab".repeat(32);
const INVOICE = fakeInvoice();
const SUB = { from: "ARK", to: "BTC", invoice: INVOICE, refundPublicKey: KEY };
const REV = { from: "BTC", to: "ARK", invoiceAmount: 50_000, claimPublicKey: KEY, preimageHash: HASH };
const JSON_CT = { "content-type": "application/json" };

let h: Harness;
let subId: string;
let revId: string;
beforeAll(async () => {
  h = await startHarness();
  subId = (await h.service.createSubmarine({ invoice: INVOICE, refundPublicKey: KEY })).id;
  revId = (
    await h.service.createReverse({ invoiceAmountSats: 50_000n, claimPublicKey: KEY, preimageHash: HASH })
  ).id;
});
afterAll(async () => {
  await h.close();
});

interface Case {
  name: string;
  method?: string;
  path: string | (() => string);
  /** A value to JSON-encode, or a raw string body. */
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const withInvalid = (base: object, patch: Record<string, unknown>): object => ({ ...base, ...patch });
const without = (base: Record<string, unknown>, key: string): object => {
  const copy = { ...base };
  delete copy[key];
  return copy;
};
const badChecksum = INVOICE.slice(0, -1) + (INVOICE.endsWith("q") ? "p" : "q");

const CASES: Case[] = [
  // body-level
  { name: "bad JSON", path: "/v2/swap/submarine", raw: "{", status: 400, code: "http.invalid_json" },
  {
    name: "not UTF-8",
    path: "/v2/swap/submarine",
    raw: Uint8Array.of(0x7b, 0xff, 0x7d),
    status: 400,
    code: "http.invalid_json",
  },
  { name: "array body", path: "/v2/swap/submarine", body: [SUB], status: 400, code: "request.invalid_body" },
  { name: "null body", path: "/v2/swap/submarine", raw: "null", status: 400, code: "request.invalid_body" },
  { name: "string body", path: "/v2/swap/reverse", raw: '"x"', status: 400, code: "request.invalid_body" },
  { name: "empty body", path: "/v2/swap/submarine", raw: "", status: 400, code: "request.invalid_body" },
  {
    name: "text/plain",
    path: "/v2/swap/submarine",
    raw: JSON.stringify(SUB),
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "http.unsupported_media_type",
  },
  {
    name: "form content type",
    path: "/v2/swap/restore",
    raw: "publicKey=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "http.unsupported_media_type",
  },
  {
    name: "body over 64 KiB",
    path: "/v2/swap/submarine",
    body: { ...SUB, junk: "x".repeat(70_000) },
    status: 413,
    code: "http.body_too_large",
  },
  // submarine fields
  {
    name: "missing invoice",
    path: "/v2/swap/submarine",
    body: without(SUB, "invoice"),
    status: 400,
    code: "request.missing_field",
  },
  {
    name: "missing refundPublicKey",
    path: "/v2/swap/submarine",
    body: without(SUB, "refundPublicKey"),
    status: 400,
    code: "request.missing_field",
  },
  {
    name: "invoice is a number",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: 5 }),
    status: 400,
    code: "request.invalid_type",
  },
  {
    name: "invoice is null",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: null }),
    status: 400,
    code: "request.invalid_type",
  },
  {
    name: "invoice not BOLT11",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: "hello" }),
    status: 400,
    code: "request.invalid_invoice",
  },
  {
    name: "invoice bad checksum",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: badChecksum }),
    status: 400,
    code: "request.invalid_invoice",
  },
  {
    name: "invoice mixed case",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: "L" + INVOICE.slice(1) }),
    status: 400,
    code: "request.invalid_invoice",
  },
  {
    name: "bitcoin address as invoice",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" }),
    status: 400,
    code: "request.invalid_invoice",
  },
  {
    name: "bolt12 offer as invoice",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: fakeInvoice("lno") }),
    status: 400,
    code: "request.invalid_invoice",
  },
  {
    name: "invoice too long",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { invoice: "lnbc" + "q".repeat(8000) }),
    status: 400,
    code: "request.too_long",
  },
  {
    name: "x-only refund key",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { refundPublicKey: KEY.slice(2) }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "uncompressed prefix",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { refundPublicKey: "04" + KEY.slice(2) }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "key not on curve",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { refundPublicKey: "02" + "00".repeat(32) }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "key not hex",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { refundPublicKey: "02" + "zz".repeat(32) }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "key too long",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { refundPublicKey: KEY + "00" }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "wrong from",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { from: "BTC" }),
    status: 400,
    code: "request.unsupported_pair",
  },
  {
    name: "wrong to",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { to: "L-BTC" }),
    status: 400,
    code: "request.unsupported_pair",
  },
  {
    name: "extra junk field",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { junk: 1 }),
    status: 400,
    code: "request.unknown_field",
  },
  {
    name: "__proto__ field",
    path: "/v2/swap/submarine",
    raw: JSON.stringify(SUB).replace("{", '{"__proto__":{"x":1},'),
    status: 400,
    code: "request.unknown_field",
  },
  {
    name: "webhook not supported",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { webhook: { url: "https://x" } }),
    status: 400,
    code: "request.unknown_field",
  },
  {
    name: "stale pairHash",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { pairHash: "old" }),
    status: 400,
    code: "swap.pair_hash_mismatch",
  },
  {
    name: "pairHash a number",
    path: "/v2/swap/submarine",
    body: withInvalid(SUB, { pairHash: 1 }),
    status: 400,
    code: "request.invalid_type",
  },
  // reverse fields
  {
    name: "amount as string",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { invoiceAmount: "50000" }),
    status: 400,
    code: "request.invalid_type",
  },
  {
    name: "amount fractional",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { invoiceAmount: 1.5 }),
    status: 400,
    code: "request.invalid_amount",
  },
  {
    name: "amount zero",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { invoiceAmount: 0 }),
    status: 400,
    code: "request.invalid_amount",
  },
  {
    name: "amount negative",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { invoiceAmount: -5 }),
    status: 400,
    code: "request.invalid_amount",
  },
  {
    name: "amount above 21M BTC",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { invoiceAmount: 2_100_000_000_000_001 }),
    status: 400,
    code: "request.invalid_amount",
  },
  {
    name: "amount 1e300",
    path: "/v2/swap/reverse",
    raw: JSON.stringify(REV).replace("50000", "1e300"),
    status: 400,
    code: "request.invalid_amount",
  },
  {
    name: "preimage hash 31 bytes",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { preimageHash: "ab".repeat(31) }),
    status: 400,
    code: "request.invalid_preimage_hash",
  },
  {
    name: "preimage hash not hex",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { preimageHash: "xy".repeat(32) }),
    status: 400,
    code: "request.invalid_preimage_hash",
  },
  {
    name: "missing claim key",
    path: "/v2/swap/reverse",
    body: without(REV, "claimPublicKey"),
    status: 400,
    code: "request.missing_field",
  },
  {
    name: "bad claim key",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { claimPublicKey: "03" + "ff".repeat(32) }),
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "description too long",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { description: "d".repeat(640) }),
    status: 400,
    code: "request.too_long",
  },
  {
    name: "description a number",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { description: 5 }),
    status: 400,
    code: "request.invalid_type",
  },
  {
    name: "reverse pair swapped",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { from: "ARK", to: "BTC" }),
    status: 400,
    code: "request.unsupported_pair",
  },
  {
    name: "reverse stale pairHash",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { pairHash: "old" }),
    status: 400,
    code: "swap.pair_hash_mismatch",
  },
  {
    name: "onchainAmount not supported",
    path: "/v2/swap/reverse",
    body: withInvalid(REV, { onchainAmount: 1 }),
    status: 400,
    code: "request.unknown_field",
  },
  // refund/ark
  {
    name: "refund: tx not base64",
    path: () => `/v2/swap/submarine/${subId}/refund/ark`,
    body: { transaction: "!!", checkpoint: PSBT_B64 },
    status: 400,
    code: "request.invalid_psbt",
  },
  {
    name: "refund: not a PSBT",
    path: () => `/v2/swap/submarine/${subId}/refund/ark`,
    body: { transaction: PSBT_B64, checkpoint: "aGVsbG8gd29ybGQ=" },
    status: 400,
    code: "request.invalid_psbt",
  },
  {
    name: "refund: missing checkpoint",
    path: () => `/v2/swap/submarine/${subId}/refund/ark`,
    body: { transaction: PSBT_B64 },
    status: 400,
    code: "request.missing_field",
  },
  {
    name: "refund: unknown id",
    path: "/v2/swap/submarine/nope/refund/ark",
    body: { transaction: PSBT_B64, checkpoint: PSBT_B64 },
    status: 404,
    code: "swap.not_found",
  },
  {
    name: "refund: reverse id",
    path: () => `/v2/swap/submarine/${revId}/refund/ark`,
    body: { transaction: PSBT_B64, checkpoint: PSBT_B64 },
    status: 404,
    code: "swap.not_found",
  },
  // restore
  {
    name: "restore: missing key",
    path: "/v2/swap/restore",
    body: {},
    status: 400,
    code: "request.missing_field",
  },
  {
    name: "restore: xpub instead of key",
    path: "/v2/swap/restore",
    body: {
      publicKey:
        "xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDfVxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz",
    },
    status: 400,
    code: "request.invalid_pubkey",
  },
  {
    name: "restore: key 1 KiB",
    path: "/v2/swap/restore",
    body: { publicKey: "02".repeat(512) },
    status: 400,
    code: "request.too_long",
  },
  // GET ids and routes
  {
    name: "status: unknown id",
    method: "GET",
    path: "/v2/swap/doesnotexist",
    status: 404,
    code: "swap.not_found",
  },
  {
    name: "status: malformed id",
    method: "GET",
    path: "/v2/swap/bad%20id",
    status: 400,
    code: "request.invalid_id",
  },
  {
    name: "status: id too long",
    method: "GET",
    path: `/v2/swap/${"a".repeat(65)}`,
    status: 400,
    code: "request.invalid_id",
  },
  {
    name: "status: bad percent-encoding",
    method: "GET",
    path: "/v2/swap/%E0%A4%A",
    status: 400,
    code: "request.invalid_id",
  },
  {
    name: "preimage: unknown id",
    method: "GET",
    path: "/v2/swap/submarine/nope/preimage",
    status: 404,
    code: "swap.not_found",
  },
  {
    name: "preimage: not paid yet",
    method: "GET",
    path: () => `/v2/swap/submarine/${subId}/preimage`,
    status: 404,
    code: "swap.not_found",
  },
  {
    name: "lockup: unknown id",
    method: "GET",
    path: "/v2/swap/reverse/nope/transaction",
    status: 404,
    code: "swap.not_found",
  },
  {
    name: "lockup: not funded yet",
    method: "GET",
    path: () => `/v2/swap/reverse/${revId}/transaction`,
    status: 404,
    code: "swap.not_found",
  },
  { name: "unknown route", method: "GET", path: "/v2/nope", status: 404, code: "http.not_found" },
  { name: "root", method: "GET", path: "/", status: 404, code: "http.not_found" },
  { name: "trailing slash", method: "GET", path: "/v2/swap/submarine/", status: 404, code: "http.not_found" },
  { name: "v1 API", method: "GET", path: "/getpairs", status: 404, code: "http.not_found" },
  {
    name: "DELETE on pairs",
    method: "DELETE",
    path: "/v2/swap/submarine",
    status: 405,
    code: "http.method_not_allowed",
  },
  {
    name: "PUT on status",
    method: "PUT",
    path: "/v2/swap/abc",
    status: 405,
    code: "http.method_not_allowed",
  },
  {
    name: "GET on restore",
    method: "GET",
    path: "/v2/swap/restore",
    status: 405,
    code: "http.method_not_allowed",
  },
  {
    name: "POST on heights",
    method: "POST",
    path: "/v2/chain/heights",
    body: {},
    status: 405,
    code: "http.method_not_allowed",
  },
];

describe("malformed requests → 4xx {error, code}", () => {
  it.each(CASES)("$name → $status $code", async (c) => {
    const before = h.service.calls.filter(
      (x) => x.method.startsWith("create") || x.method === "refundArk",
    ).length;
    const path = typeof c.path === "function" ? c.path() : c.path;
    const method = c.method ?? "POST";
    const body = c.raw !== undefined ? c.raw : c.body === undefined ? undefined : JSON.stringify(c.body);
    const res = await fetch(h.base + path, {
      method,
      headers: c.headers ?? JSON_CT,
      ...(body === undefined ? {} : { body }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect({ status: res.status, code: json["code"] }).toEqual({ status: c.status, code: c.code });
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(typeof json["error"]).toBe("string");
    for (const key of Object.keys(json)) expect(["error", "code", "details"]).toContain(key);
    const after = h.service.calls.filter(
      (x) => x.method.startsWith("create") || x.method === "refundArk",
    ).length;
    if (c.status !== 404) expect(after).toBe(before); // refused before reaching the service
  });

  it("405 lists the allowed methods", async () => {
    const res = await fetch(`${h.base}/v2/swap/submarine`, { method: "DELETE" });
    expect(res.headers.get("allow")).toBe("GET, POST");
    const st = await fetch(`${h.base}/v2/swap/abc`, { method: "PUT" });
    expect(st.headers.get("allow")).toBe("GET");
  });

  it("lists every problem of a body in details.issues, the code being the first one's", async () => {
    const res = await fetch(`${h.base}/v2/swap/reverse`, {
      method: "POST",
      headers: JSON_CT,
      body: JSON.stringify({ from: "BTC", to: "ARK", invoiceAmount: "1", claimPublicKey: "02", extra: true }),
    });
    const json = (await res.json()) as {
      code: string;
      details: { issues: { path: string; code: string }[] };
    };
    expect(res.status).toBe(400);
    expect(json.code).toBe("request.unknown_field");
    expect(json.details.issues.map((i) => [i.path, i.code])).toEqual([
      ["extra", "request.unknown_field"],
      ["invoiceAmount", "request.invalid_type"],
      ["claimPublicKey", "request.invalid_pubkey"],
      ["preimageHash", "request.missing_field"],
    ]);
  });

  it("a body larger than the limit without content-length (chunked) is 413 too", async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8192)));
        controller.close();
      },
    });
    const res = await fetch(`${h.base}/v2/swap/submarine`, {
      method: "POST",
      headers: JSON_CT,
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("http.body_too_large");
  });
});

describe("service failures", () => {
  it("maps a GatewayError by its httpStatus and code, with details for a 4xx", async () => {
    h.service.failNext = new GatewayError("ln.invoice_expired", "invoice expired", {
      spec: { httpStatus: 400, retryable: false },
      details: { expiredAt: 5 },
    });
    const res = await fetch(`${h.base}/v2/swap/submarine`, {
      method: "POST",
      headers: JSON_CT,
      body: JSON.stringify(SUB),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invoice expired",
      code: "ln.invoice_expired",
      details: { expiredAt: 5 },
    });
  });

  it("keeps the details of a 5xx GatewayError inside", async () => {
    h.service.failNext = new GatewayError("ark.unavailable", "arkd is unavailable", {
      spec: { httpStatus: 503, retryable: true },
      details: { host: "10.0.0.5:7070" },
    });
    const res = await fetch(`${h.base}/v2/chain/heights`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "arkd is unavailable", code: "ark.unavailable" });
  });

  it("turns an unexpected error into 500 internal without leaking it", async () => {
    h.service.failNext = new Error("password=hunter2 at Pool.connect (/srv/db.js:1:1)");
    const res = await fetch(`${h.base}/v2/swap/${subId}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "internal error", code: "internal" });
    expect(text).not.toContain("hunter2");
  });

  it("refuses to put an amount beyond Number.MAX_SAFE_INTEGER on the wire", async () => {
    const original = h.service.createSubmarine.bind(h.service);
    h.service.createSubmarine = async (req) => ({ ...(await original(req)), expectedAmountSats: 2n ** 53n });
    try {
      const res = await fetch(`${h.base}/v2/swap/submarine`, {
        method: "POST",
        headers: JSON_CT,
        body: JSON.stringify(SUB),
      });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { code: string }).code).toBe("http.unsafe_number");
    } finally {
      h.service.createSubmarine = original;
    }
  });

  it("keeps serving after a client drops mid-body", async () => {
    const { request } = await import("node:http");
    const url = new URL(`${h.base}/v2/swap/submarine`);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { ...JSON_CT, "content-length": "1000" },
      });
      req.on("error", () => resolve());
      req.write('{"from":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    expect((await fetch(`${h.base}/v2/version`)).status).toBe(200);
  });
});
