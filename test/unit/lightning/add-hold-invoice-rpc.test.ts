import { createRequire } from "node:module";
import { createHash, randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { addHoldInvoice, bolt11Header } from "../../../src/lightning/lnd/add-hold-invoice-rpc.js";

interface InvoicesLib {
  createUnsignedRequest(args: object): { hash: string; hrp: string; tags: number[] };
  createSignedRequest(args: object): { request: string };
  parsePaymentRequest(args: { request: string }): { created_at: string; id: string };
}
const lib = createRequire(import.meta.url)("invoices") as InvoicesLib;

const key = secp256k1.utils.randomSecretKey();
const destination = Buffer.from(secp256k1.getPublicKey(key, true)).toString("hex");
const hashOf = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A real signed BOLT11 string (the `invoices` library LND's ln-service uses, signed here). */
function invoice(id: string, extra: object = { description: "swap" }): string {
  const unsigned = lib.createUnsignedRequest({
    created_at: "2026-12-03T16:00:07.000Z",
    destination,
    features: [],
    id,
    mtokens: "50000000",
    network: "regtest",
    cltv_delta: 80,
    expires_at: "2026-12-03T17:00:07.000Z",
    payment: randomBytes(32).toString("hex"),
    ...extra,
  });
  const sig = secp256k1.sign(Buffer.from(unsigned.hash, "hex"), key, { prehash: false });
  return lib.createSignedRequest({
    destination,
    hrp: unsigned.hrp,
    signature: Buffer.from(sig).toString("hex"),
    tags: unsigned.tags,
  }).request;
}

describe("bolt11Header", () => {
  it("reads the creation time and payment hash ln-service's full decode reads", () => {
    for (const extra of [
      { description: "swap" },
      { description_hash: "ab".repeat(32) },
      { description: "" },
    ]) {
      const id = hashOf(randomBytes(32));
      const request = invoice(id, extra);
      const oracle = lib.parsePaymentRequest({ request });
      expect(bolt11Header(request)).toEqual({
        createdAt: new Date(oracle.created_at),
        paymentHash: oracle.id,
      });
      expect(oracle.id).toBe(id);
    }
  });

  it("is undefined for garbage, a broken checksum or a string without a payment hash", () => {
    const request = invoice(hashOf(randomBytes(32)));
    const broken = `${request.slice(0, -1)}${request.endsWith("q") ? "p" : "q"}`;
    expect(bolt11Header(broken)).toBeUndefined();
    expect(bolt11Header("lnbcrt1qqqqqq")).toBeUndefined();
    expect(bolt11Header("not an invoice")).toBeUndefined();
  });
});

describe("addHoldInvoice (AddHoldInvoice on ln-service's gRPC client)", () => {
  const id = hashOf(randomBytes(32));
  const args = {
    id,
    mtokens: "50000000",
    cltv_delta: 80,
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    description: "swap",
  };
  const lndAnswering = (answer: (req: Record<string, unknown>) => [unknown, unknown?]) => {
    const sent: Record<string, unknown>[] = [];
    const lnd = {
      invoices: {
        addHoldInvoice(req: Record<string, unknown>, cb: (err: unknown, res?: unknown) => void) {
          sent.push(req);
          const [err, res] = answer(req);
          setImmediate(() => cb(err, res));
        },
      },
    };
    return { lnd, sent };
  };

  it("sends createHodlInvoice's request and answers in its shape, from the invoice LND made", async () => {
    const request = invoice(id);
    const { lnd, sent } = lndAnswering(() => [null, { payment_request: request }]);
    const res = await addHoldInvoice({ lnd, ...args });
    expect(res).toEqual({
      created_at: "2026-12-03T16:00:07.000Z",
      id,
      mtokens: "50000000",
      request,
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      cltv_expiry: 80,
      hash: Buffer.from(id, "hex"),
      memo: "swap",
      private: false,
      value_msat: "50000000",
      description_hash: undefined,
    });
    expect(Math.abs((sent[0]?.["expiry"] as number) - 3600)).toBeLessThanOrEqual(1);

    const withHash = lndAnswering(() => [null, { payment_request: request }]);
    await addHoldInvoice({
      lnd: withHash.lnd,
      ...args,
      description: undefined,
      description_hash: "cd".repeat(32),
    });
    expect(withHash.sent[0]?.["description_hash"]).toEqual(Buffer.from("cd".repeat(32), "hex"));
    expect(withHash.sent[0]?.["memo"]).toBeUndefined();
  });

  it("refuses an answer committing to another hash, or none; passes LND's error on as ln-service would", async () => {
    const other = lndAnswering(() => [null, { payment_request: invoice(hashOf(randomBytes(32))) }]);
    await expect(addHoldInvoice({ lnd: other.lnd, ...args })).rejects.toEqual([
      503,
      "ExpectedValidPaymentRequestForHodlInvoice",
    ]);
    const none = lndAnswering(() => [null, {}]);
    await expect(addHoldInvoice({ lnd: none.lnd, ...args })).rejects.toEqual([
      503,
      "ExpectedPaymentRequestForCreatedInvoice",
    ]);
    const grpcErr = { code: 2, details: "invoice with payment hash already exists" };
    const failing = lndAnswering(() => [grpcErr]);
    await expect(addHoldInvoice({ lnd: failing.lnd, ...args })).rejects.toEqual([
      503,
      "UnexpectedAddHodlInvoiceError",
      { err: grpcErr },
    ]);
    await expect(addHoldInvoice({ lnd: {}, ...args })).rejects.toEqual([
      400,
      "ExpectedInvoicesLndToCreateHodlInvoice",
    ]);
  });
});
