/**
 * What `@arkade-os/boltz-swap` 0.3.61 sends and checks, against the real server over the fake
 * service: restore with `publicKeys` (≤ 100), the "could not find swap" text of every unknown-swap
 * answer, reverse creation with `descriptionHash`, the chain-swap refusal, and the fee bound on
 * `expectedAmount`. The client's guards are restated in client-guards.ts; the 0.2.20 shapes stay
 * covered by http-routes.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toErrorResponse } from "../../../src/api/http/index.js";
import { GatewayError } from "../../../src/domain/errors.js";
import { formatPpmAsPercent, quoteReverse, quoteSubmarine } from "../../../src/domain/fees.js";
import { wireReversePairs, wireSubmarinePairs } from "../../../src/api/http/wire.js";
import type { PairQuote } from "../../../src/swaps/ports/swap-service.js";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import {
  isCreateReverseSwapResponse,
  isCreateSwapsRestoreResponse,
  isSwapNotFoundBody,
  maxAcceptableExpected,
  resolvedTimeouts,
} from "./client-guards.js";
import { PSBT_B64, WsClient, fakeInvoice, get, post, startHarness, type Harness } from "./helpers.js";

const WALLET = pubkeyHex(9);
const OTHER_INDEX = pubkeyHex(11);
const WIRE_TIMEOUTS = {
  refund: 250,
  unilateralClaim: 17,
  unilateralRefund: 33,
  unilateralRefundWithoutReceiver: 1024,
};
const REV = {
  from: "BTC",
  to: "ARK",
  invoiceAmount: 50_000,
  claimPublicKey: WALLET,
  preimageHash: "ab".repeat(32),
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => pubkeyHex(20 + i));
const restoreCalls = (): unknown[] =>
  h.service.calls.filter((c) => c.method === "restore").map((c) => c.args[0]);

describe("POST /v2/swap/restore with publicKeys (0.3.x restoreSwaps)", () => {
  it("answers every swap of every key once, in a shape the client rebuilds the VHTLC from", async () => {
    const sub = await h.service.createSubmarine({ invoice: fakeInvoice(), refundPublicKey: WALLET });
    const rev = await h.service.createReverse({
      invoiceAmountSats: 50_000n,
      claimPublicKey: OTHER_INDEX,
      preimageHash: "cd".repeat(32),
    });
    await h.service.createReverse({
      invoiceAmountSats: 50_000n,
      claimPublicKey: pubkeyHex(12),
      preimageHash: "ef".repeat(32),
    });

    const res = await post(h.base, "/v2/swap/restore", {
      publicKeys: [WALLET, OTHER_INDEX, WALLET, pubkeyHex(77)],
    });
    expect(res.status).toBe(200);
    expect(isCreateSwapsRestoreResponse(res.body)).toBe(true);
    const items = res.body as Record<string, Record<string, unknown>>[];
    expect(items.map((i) => i["id"])).toEqual([sub.id, rev.id]);
    expect(restoreCalls()).toEqual([WALLET, OTHER_INDEX, pubkeyHex(77)]);

    const [s, r] = items as [
      Record<string, Record<string, unknown>>,
      Record<string, Record<string, unknown>>,
    ];
    // 0.3.x prefers these timeouts to reading the leaves back; all four must be non-zero
    expect(resolvedTimeouts(s["refundDetails"] as Record<string, unknown>)).toEqual(WIRE_TIMEOUTS);
    expect(resolvedTimeouts(r["claimDetails"] as Record<string, unknown>)).toEqual(WIRE_TIMEOUTS);
    expect(s["refundDetails"]).toMatchObject({ lockupAddress: sub.address, amount: 10_010, keyIndex: 0 });
    expect(r["claimDetails"]).toMatchObject({ lockupAddress: rev.lockupAddress, amount: 49_875 });
    // kept as the swap's invoice: the one paid (submarine), the hold invoice (reverse)
    expect(s["invoice"]).toBe(fakeInvoice());
    expect(r["invoice"]).toBe(rev.invoice);
  });

  it("takes up to 100 keys and refuses 101 with a clear 400", async () => {
    expect((await post(h.base, "/v2/swap/restore", { publicKeys: keys(100) })).status).toBe(200);
    h.service.calls.length = 0;
    const res = await post(h.base, "/v2/swap/restore", { publicKeys: keys(101) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "request.too_many_items" });
    expect((res.body as { error: string }).error).toContain("at most 100");
    expect(restoreCalls()).toEqual([]);
  });

  it.each([
    ["no key at all", {}, "request.missing_field"],
    ["an empty list", { publicKeys: [] }, "request.invalid_type"],
    ["a list that is not one", { publicKeys: WALLET }, "request.invalid_type"],
    ["both forms", { publicKey: WALLET, publicKeys: [WALLET] }, "request.conflicting_fields"],
    ["a bad key in the list", { publicKeys: [WALLET, "02" + "00".repeat(32)] }, "request.invalid_pubkey"],
    ["a number in the list", { publicKeys: [WALLET, 7] }, "request.invalid_type"],
  ])("refuses %s with 400 before any lookup", async (_name, body, code) => {
    const res = await post(h.base, "/v2/swap/restore", body);
    expect(res).toMatchObject({ status: 400, body: { code } });
    expect(restoreCalls()).toEqual([]);
  });

  it("names the bad item of the list", async () => {
    const res = await post(h.base, "/v2/swap/restore", { publicKeys: [WALLET, "zz"] });
    expect((res.body as { details: { issues: { path: string }[] } }).details.issues[0]?.path).toBe(
      "publicKeys[1]",
    );
  });

  it("still takes the single publicKey of 0.2.20", async () => {
    await h.service.createSubmarine({ invoice: fakeInvoice(), refundPublicKey: WALLET });
    const res = await post(h.base, "/v2/swap/restore", { publicKey: WALLET });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(isCreateSwapsRestoreResponse(res.body)).toBe(true);
  });
});

describe("unknown swaps: the text the client turns into SwapNotFoundError", () => {
  const unknownId = "nosuchswap42";
  it.each([
    ["GET", `/v2/swap/${unknownId}`],
    ["GET", `/v2/swap/submarine/${unknownId}/preimage`],
    ["GET", `/v2/swap/reverse/${unknownId}/transaction`],
    ["POST", `/v2/swap/submarine/${unknownId}/refund/ark`],
  ])("%s %s → 404 swap.not_found containing 'could not find swap'", async (method, path) => {
    const res =
      method === "GET"
        ? await get(h.base, path)
        : await post(h.base, path, { transaction: PSBT_B64, checkpoint: PSBT_B64 });
    expect(res.status).toBe(404);
    expect((res.body as { code: string }).code).toBe("swap.not_found");
    expect(isSwapNotFoundBody(res.status, res.body)).toBe(true);
  });

  it("a swap of the other type is not found either, with the same text", async () => {
    const rev = await h.service.createReverse({
      invoiceAmountSats: 50_000n,
      claimPublicKey: WALLET,
      preimageHash: "ab".repeat(32),
    });
    const res = await get(h.base, `/v2/swap/submarine/${rev.id}/preimage`);
    expect(isSwapNotFoundBody(res.status, res.body)).toBe(true);
  });

  it("guarantees the text even when the service words it otherwise", async () => {
    h.service.failNext = new GatewayError("swap.not_found", "no swap with this id", {
      spec: { httpStatus: 404, retryable: false },
    });
    const res = await get(h.base, "/v2/swap/abc123");
    expect(res.body).toMatchObject({ code: "swap.not_found" });
    expect(isSwapNotFoundBody(res.status, res.body)).toBe(true);
    // and the mapping itself, for every other face that uses it (the WebSocket's error args)
    const bare = new GatewayError("swap.not_found", "gone", { spec: { httpStatus: 404, retryable: false } });
    expect(toErrorResponse(bare).body.error.toLowerCase()).toContain("could not find swap");
    const other = new GatewayError("swap.lockup_not_available", "not funded", {
      spec: { httpStatus: 404, retryable: false },
    });
    expect(toErrorResponse(other).body.error).toBe("not funded");
  });

  it("a WebSocket subscription to an unknown id answers an update whose error carries the text", async () => {
    const c = await WsClient.connect(h.wsUrl);
    try {
      c.send({ op: "subscribe", channel: "swap.update", args: [unknownId] });
      const [, update] = await c.waitForCount(2);
      expect(update).toMatchObject({ event: "update", args: [{ id: unknownId }] });
      const arg = (update?.["args"] as { error: string }[])[0];
      expect(arg?.error.toLowerCase()).toContain("could not find swap");
    } finally {
      c.close();
    }
  });
});

describe("the WebSocket as 0.3.x's SwapManager uses it", () => {
  it("takes one subscribe message per swap for 100 swaps at once, without throttling or closing", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const invoice = fakeInvoice("lnbcrt100u", i + 1);
      ids.push((await h.service.createSubmarine({ invoice, refundPublicKey: WALLET })).id);
    }
    const c = await WsClient.connect(h.wsUrl);
    try {
      for (const id of ids) c.send({ op: "subscribe", channel: "swap.update", args: [id] });
      const frames = await c.waitForCount(200, 5000);
      expect(frames.filter((f) => f["event"] === "error")).toEqual([]);
      const updated = frames
        .filter((f) => f["event"] === "update")
        .map((f) => (f["args"] as { id: string; status: string }[])[0]);
      expect(updated).toHaveLength(100);
      expect(new Set(updated.map((u) => u?.id))).toEqual(new Set(ids));
      expect(c.closeCode).toBeUndefined();
    } finally {
      c.close();
    }
  });
});

describe("POST /v2/swap/reverse with descriptionHash (LNURL)", () => {
  const createCalls = (): unknown[] =>
    h.service.calls.filter((c) => c.method === "createReverse").map((c) => c.args[0]);

  it("passes the hash (lower-cased) instead of a description; the answer carries onchainAmount", async () => {
    const res = await post(h.base, "/v2/swap/reverse", {
      ...REV,
      descriptionHash: "AB".repeat(32),
      referralId: "arkade-ts-sdk",
    });
    expect(res.status).toBe(201);
    expect(isCreateReverseSwapResponse(res.body)).toBe(true);
    expect(createCalls()).toEqual([
      {
        invoiceAmountSats: 50_000n,
        claimPublicKey: WALLET,
        preimageHash: REV.preimageHash,
        descriptionHash: "ab".repeat(32),
      },
    ]);
  });

  it("passes the client's default description through as sent", async () => {
    const res = await post(h.base, "/v2/swap/reverse", { ...REV, description: "Send to Arkade address" });
    expect(res.status).toBe(201);
    expect(createCalls()).toEqual([expect.objectContaining({ description: "Send to Arkade address" })]);
  });

  it.each([
    [
      "with a description too",
      { description: "coffee", descriptionHash: "ab".repeat(32) },
      "request.conflicting_fields",
    ],
    ["31 bytes", { descriptionHash: "ab".repeat(31) }, "request.invalid_hex"],
    ["not hex", { descriptionHash: "zz".repeat(32) }, "request.invalid_hex"],
    ["a number", { descriptionHash: 5 }, "request.invalid_type"],
  ])("refuses a descriptionHash %s with 400 before creating anything", async (_name, extra, code) => {
    const res = await post(h.base, "/v2/swap/reverse", { ...REV, ...extra });
    expect(res).toMatchObject({ status: 400, body: { code } });
    expect(createCalls()).toEqual([]);
  });
});

describe("GET /v2/swap/chain: chain swaps are not offered", () => {
  it("answers a clear 404 (not the status of a swap called 'chain'), which drops the client's onchain rail", async () => {
    const res = await get(h.base, "/v2/swap/chain");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "request.chain_swaps_unsupported" });
    expect((res.body as { error: string }).error).toMatch(/chain swaps are not supported/);
    expect(isSwapNotFoundBody(res.status, res.body)).toBe(false);
    expect(h.service.calls).toEqual([]);
  });

  it("POST /v2/swap/chain is 405", async () => {
    expect((await post(h.base, "/v2/swap/chain", { from: "ARK", to: "BTC" })).status).toBe(405);
  });
});

describe("amounts the client bounds, computed from the pairs we advertise", () => {
  const quote = (ratePpm: bigint, baseFeeSats: bigint): PairQuote => ({
    hash: "h",
    feePercentage: formatPpmAsPercent(ratePpm),
    minimalSats: 1n,
    maximalSats: 10_000_000n,
    baseFeeSats,
  });
  const RATES = [0n, 1n, 100n, 999n, 1_000n, 2_500n, 3_333n, 10_000n, 12_345n, 99_999n];
  const BASES = [0n, 1n, 21n];
  const AMOUNTS_MSAT = [
    1_000n,
    1_001n,
    999_999n,
    10_000_000n,
    12_345_678n,
    100_000_999n,
    4_294_967_295n,
    9_999_999_999n,
  ];

  it("submarine expectedAmount is exactly the most the client accepts (fees ceil, sub-sat not charged)", () => {
    for (const ratePpm of RATES)
      for (const baseFeeSats of BASES)
        for (const msat of AMOUNTS_MSAT) {
          const pair = wireSubmarinePairs(quote(ratePpm, baseFeeSats)) as {
            ARK: { BTC: { fees: { percentage: number; minerFees: number } } };
          };
          const expected = Number(quoteSubmarine(msat, { ratePpm, baseFeeSats }).expectedAmountSats);
          const bound = maxAcceptableExpected(msat, pair.ARK.BTC.fees);
          expect(expected, `${msat} msat at ${ratePpm} ppm + ${baseFeeSats}`).toBe(bound);
        }
  });

  it("reverse onchainAmount is what a wallet computes from the reverse pair (invoice − miner fees − ceil fee)", () => {
    for (const ratePpm of RATES)
      for (const baseFeeSats of BASES)
        for (const sats of [1_000n, 1_001n, 50_000n, 123_457n, 9_999_999n]) {
          const pair = wireReversePairs(quote(ratePpm, baseFeeSats)) as {
            BTC: { ARK: { fees: { percentage: number; minerFees: { claim: number; lockup: number } } } };
          };
          const { percentage, minerFees } = pair.BTC.ARK.fees;
          const n = Number(sats);
          const walletView = n - minerFees.claim - minerFees.lockup - Math.ceil((n * percentage) / 100);
          expect(Number(quoteReverse(sats, { ratePpm, baseFeeSats }).onchainAmountSats)).toBe(walletView);
        }
  });
});
