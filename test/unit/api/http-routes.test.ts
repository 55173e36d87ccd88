/**
 * Happy paths of every REST endpoint with exact response shapes. Field names and JSON types are
 * the ones `@arkade-os/boltz-swap` 0.2.20 checks in `dist/index.js` (BoltzSwapProvider and the
 * `isGet*Response` / `isCreate*Response` / `isRestored*Swap` / `isDetails` / `isTree` guards,
 * `extractTimeLockFromLeafOutput` in src/utils/restoration.ts).
 */
import { hex } from "@scure/base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeClosure } from "../../../src/ark/scripts/index.js";
import { ARKD_SIGNER_KEY, GATEWAY_KEY, TIMEOUTS, pubkeyHex } from "../../fakes/fake-swap-service.js";
import { PSBT_B64, fakeInvoice, get, post, startHarness, type Harness } from "./helpers.js";

const WALLET_KEY = pubkeyHex(9);
const PREIMAGE_HASH = "ab".repeat(32);
const WIRE_TIMEOUTS = {
  refund: 250,
  unilateralClaim: 17,
  unilateralRefund: 33,
  unilateralRefundWithoutReceiver: 1024,
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function createSubmarine(): Promise<Record<string, unknown>> {
  const res = await post(h.base, "/v2/swap/submarine", {
    from: "ARK",
    to: "BTC",
    invoice: fakeInvoice(),
    refundPublicKey: WALLET_KEY,
  });
  expect(res.status).toBe(201);
  return res.body as Record<string, unknown>;
}

async function createReverse(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await post(h.base, "/v2/swap/reverse", {
    from: "BTC",
    to: "ARK",
    invoiceAmount: 50_000,
    claimPublicKey: WALLET_KEY,
    preimageHash: PREIMAGE_HASH,
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body as Record<string, unknown>;
}

describe("pairs", () => {
  it("GET /v2/swap/submarine → {ARK: {BTC: {hash, rate, limits{minimal, maximal, maximalZeroConf}, fees{percentage, minerFees}}}}", async () => {
    const res = await get(h.base, "/v2/swap/submarine");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    // isGetSubmarinePairsResponse: every leaf a number, minerFees a number
    expect(res.body).toEqual({
      ARK: {
        BTC: {
          hash: "sub-hash-1",
          rate: 1,
          limits: { minimal: 1000, maximal: 4_294_967, maximalZeroConf: 4_294_967 },
          fees: { percentage: 0.1, minerFees: 0 },
        },
      },
    });
  });

  it("GET /v2/swap/reverse → {BTC: {ARK: {..., fees{percentage, minerFees{claim, lockup}}}}}", async () => {
    const res = await get(h.base, "/v2/swap/reverse");
    expect(res.status).toBe(200);
    // isGetReversePairsResponse: minerFees is an object with numeric claim and lockup
    expect(res.body).toEqual({
      BTC: {
        ARK: {
          hash: "rev-hash-1",
          rate: 1,
          limits: { minimal: 1000, maximal: 4_294_967 },
          fees: { percentage: 0.25, minerFees: { claim: 0, lockup: 0 } },
        },
      },
    });
  });
});

describe("submarine", () => {
  it("POST /v2/swap/submarine → 201 with the created swap (isCreateSubmarineSwapResponse)", async () => {
    const body = await createSubmarine();
    const stored = [...h.service.swaps.values()][0];
    expect(body).toEqual({
      id: stored?.id,
      address: stored?.lockupAddress,
      expectedAmount: 10_010,
      claimPublicKey: GATEWAY_KEY,
      acceptZeroConf: true,
      timeoutBlockHeight: 250,
      timeoutBlockHeights: WIRE_TIMEOUTS,
    });
    expect(String(body["address"])).toMatch(/^tark1/);
    expect(h.service.calls.find((c) => c.method === "createSubmarine")?.args[0]).toEqual({
      invoice: fakeInvoice(),
      refundPublicKey: WALLET_KEY,
    });
  });

  it("accepts the optional pairHash (current) and referralId the client may send; lower-cases the invoice and key", async () => {
    const res = await post(h.base, "/v2/swap/submarine", {
      from: "ARK",
      to: "BTC",
      invoice: fakeInvoice().toUpperCase(),
      refundPublicKey: WALLET_KEY.toUpperCase(),
      pairHash: "sub-hash-1",
      referralId: "arkade",
    });
    expect(res.status).toBe(201);
    expect(h.service.calls.find((c) => c.method === "createSubmarine")?.args[0]).toEqual({
      invoice: fakeInvoice(),
      refundPublicKey: WALLET_KEY,
      pairHash: "sub-hash-1",
    });
  });

  it("GET /v2/swap/submarine/{id}/preimage → {preimage} once paid", async () => {
    const { id } = (await createSubmarine()) as { id: string };
    h.service.preimages.set(id, "cd".repeat(32));
    const res = await get(h.base, `/v2/swap/submarine/${id}/preimage`);
    expect(res).toMatchObject({ status: 200, body: { preimage: "cd".repeat(32) } });
  });

  it("POST /v2/swap/submarine/{id}/refund/ark → {transaction, checkpoint} (base64 PSBTs)", async () => {
    const { id } = (await createSubmarine()) as { id: string };
    const res = await post(h.base, `/v2/swap/submarine/${id}/refund/ark`, {
      transaction: PSBT_B64,
      checkpoint: PSBT_B64,
    });
    expect(res).toMatchObject({ status: 200, body: { transaction: PSBT_B64, checkpoint: PSBT_B64 } });
    expect(Object.keys(res.body as object).sort()).toEqual(["checkpoint", "transaction"]);
  });
});

describe("reverse", () => {
  it("POST /v2/swap/reverse → 201 with the created swap (isCreateReverseSwapResponse)", async () => {
    const body = await createReverse({ description: "coffee" });
    const stored = [...h.service.swaps.values()][0];
    expect(body).toEqual({
      id: stored?.id,
      invoice: "lnbcrt1fakeholdinvoice",
      onchainAmount: 49_875,
      lockupAddress: stored?.lockupAddress,
      refundPublicKey: GATEWAY_KEY,
      timeoutBlockHeight: 250,
      timeoutBlockHeights: WIRE_TIMEOUTS,
    });
    expect(h.service.calls.find((c) => c.method === "createReverse")?.args[0]).toEqual({
      invoiceAmountSats: 50_000n,
      claimPublicKey: WALLET_KEY,
      preimageHash: PREIMAGE_HASH,
      description: "coffee",
    });
  });

  it("GET /v2/swap/reverse/{id}/transaction → {id, hex, timeoutBlockHeight} (isGetReverseSwapTxIdResponse)", async () => {
    const { id } = (await createReverse()) as { id: string };
    h.service.lockups.set(id, { id: "ee".repeat(32), hex: "0200" });
    const res = await get(h.base, `/v2/swap/reverse/${id}/transaction`);
    expect(res).toEqual(expect.objectContaining({ status: 200 }));
    expect(res.body).toEqual({ id: "ee".repeat(32), hex: "0200", timeoutBlockHeight: 250 });
  });

  it("omits hex when the service has none", async () => {
    const { id } = (await createReverse()) as { id: string };
    h.service.lockups.set(id, { id: "ee".repeat(32) });
    expect((await get(h.base, `/v2/swap/reverse/${id}/transaction`)).body).toEqual({
      id: "ee".repeat(32),
      timeoutBlockHeight: 250,
    });
  });
});

describe("status, heights, restore, meta", () => {
  it("GET /v2/swap/{id} → {status} then {status, transaction{id}, failureReason} (isGetSwapStatusResponse)", async () => {
    const { id } = (await createSubmarine()) as { id: string };
    expect((await get(h.base, `/v2/swap/${id}`)).body).toEqual({ status: "invoice.set" });
    h.service.transition(id, "payment_failed", { failureReason: "no route", claimTxid: "aa".repeat(32) });
    expect(await get(h.base, `/v2/swap/${id}`)).toMatchObject({
      status: 200,
      body: {
        status: "invoice.failedToPay",
        transaction: { id: "aa".repeat(32) },
        failureReason: "no route",
      },
    });
  });

  it("GET /v2/chain/heights → {BTC, ARK} numbers", async () => {
    expect(await get(h.base, "/v2/chain/heights")).toMatchObject({
      status: 200,
      body: { BTC: 201, ARK: 201 },
    });
  });

  it("GET /v2/version → {version}", async () => {
    expect(await get(h.base, "/v2/version")).toMatchObject({ status: 200, body: { version: "0.1.0-test" } });
  });

  it("POST /v2/swap/restore → both swap kinds with details the client rebuilds the VHTLC from", async () => {
    const sub = await createSubmarine();
    const rev = await createReverse();
    await createReverse({ claimPublicKey: pubkeyHex(10) }); // someone else's
    const subId = sub["id"] as string;
    h.service.transition(subId, "funded", { fundingOutpoints: [`${"bb".repeat(32)}:1`] });

    const res = await post(h.base, "/v2/swap/restore", { publicKey: WALLET_KEY });
    expect(res.status).toBe(200);
    const items = res.body as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    const [s, r] = [items.find((i) => i["type"] === "submarine"), items.find((i) => i["type"] === "reverse")];
    // isRestoredSubmarineSwap + isDetails
    expect(s).toMatchObject({
      id: subId,
      type: "submarine",
      from: "ARK",
      to: "BTC",
      createdAt: expect.any(Number),
      preimageHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: "transaction.confirmed",
      refundDetails: {
        amount: 10_010,
        keyIndex: 0,
        lockupAddress: sub["address"],
        serverPublicKey: GATEWAY_KEY,
        timeoutBlockHeight: 250,
        transaction: { id: "bb".repeat(32), vout: 1 },
      },
    });
    // isRestoredReverseSwap: claimDetails carries the preimage hash too; no funding yet → no transaction
    expect(r).toMatchObject({
      id: rev["id"],
      type: "reverse",
      from: "BTC",
      to: "ARK",
      preimageHash: PREIMAGE_HASH,
      status: "swap.created",
      claimDetails: {
        amount: 49_875,
        keyIndex: 0,
        lockupAddress: rev["lockupAddress"],
        serverPublicKey: GATEWAY_KEY,
        timeoutBlockHeight: 250,
        preimageHash: PREIMAGE_HASH,
      },
    });
    expect(r?.["claimDetails"]).not.toHaveProperty("transaction");

    // The six leaves, version 0xc0, decode back to the swap's timelocks (what
    // extractTimeLockFromLeafOutput reads) and keys.
    const tree = (s?.["refundDetails"] as Record<string, unknown>)["tree"] as Record<
      string,
      { version: number; output: string }
    >;
    expect(Object.keys(tree).sort()).toEqual(
      [
        "claimLeaf",
        "refundLeaf",
        "refundWithoutBoltzLeaf",
        "unilateralClaimLeaf",
        "unilateralRefundLeaf",
        "unilateralRefundWithoutBoltzLeaf",
      ].sort(),
    );
    for (const leaf of Object.values(tree)) expect(leaf.version).toBe(0xc0);
    const closure = (name: string) => decodeClosure(hex.decode(tree[name]?.output ?? ""));
    expect(closure("refundWithoutBoltzLeaf")).toMatchObject({
      type: "cltv-multisig",
      locktime: TIMEOUTS.refund,
    });
    expect(closure("unilateralClaimLeaf")).toMatchObject({ type: "condition-csv-multisig" });
    expect(closure("unilateralRefundLeaf")).toMatchObject({
      type: "csv-multisig",
      timelock: { type: "blocks", value: TIMEOUTS.unilateralRefund },
    });
    expect(closure("unilateralRefundWithoutBoltzLeaf")).toMatchObject({
      type: "csv-multisig",
      timelock: { type: "seconds", value: TIMEOUTS.unilateralRefundWithoutReceiver },
    });
    expect(tree["refundLeaf"]?.output).toContain(WALLET_KEY.slice(2));
    expect(tree["refundLeaf"]?.output).toContain(ARKD_SIGNER_KEY.slice(2));
  });

  it("POST /v2/swap/restore → [] for a key without swaps", async () => {
    expect(await post(h.base, "/v2/swap/restore", { publicKey: pubkeyHex(77) })).toMatchObject({
      status: 200,
      body: [],
    });
  });
});

describe("server behaviour", () => {
  it("echoes a sane x-request-id and makes one up otherwise", async () => {
    const mine = await fetch(`${h.base}/v2/version`, { headers: { "x-request-id": "abc-123" } });
    expect(mine.headers.get("x-request-id")).toBe("abc-123");
    const bad = await fetch(`${h.base}/v2/version`, { headers: { "x-request-id": "has spaces and /slash" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers CORS preflights and sets allow-origin on answers", async () => {
    const pre = await fetch(`${h.base}/v2/swap/submarine`, {
      method: "OPTIONS",
      headers: { origin: "https://wallet.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    expect((await fetch(`${h.base}/v2/version`)).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("ignores query strings and a body on GET", async () => {
    expect((await get(h.base, "/v2/chain/heights?x=1")).status).toBe(200);
    // BoltzSwapProvider.request sends Content-Type: application/json on GETs too
    const res = await fetch(`${h.base}/v2/swap/submarine`, {
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
  });

  it("close() lets an in-flight request finish, then refuses new connections", async () => {
    const { id } = (await createSubmarine()) as { id: string };
    h.service.statusDelayMs = 200;
    const pending = get(h.base, `/v2/swap/${id}`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = h.close();
    expect((await pending).status).toBe(200);
    await closing;
    await expect(fetch(`${h.base}/v2/version`)).rejects.toThrow();
    h = await startHarness(); // afterEach closes this one
  });
});
