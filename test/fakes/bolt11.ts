/**
 * Real signed BOLT11 strings for unit tests, as LND answers AddHoldInvoice: encoded with the
 * `invoices` library and signed here with a throwaway key.
 */
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { secp256k1 } from "@noble/curves/secp256k1.js";

interface InvoicesLib {
  createUnsignedRequest(args: object): { hash: string; hrp: string; tags: number[] };
  createSignedRequest(args: object): { request: string };
  parsePaymentRequest(args: { request: string }): { created_at: string; id: string };
}
/** The `invoices` library, also usable as an oracle (`parsePaymentRequest`). */
export const bolt11Lib = createRequire(import.meta.url)("invoices") as InvoicesLib;

const key = secp256k1.utils.randomSecretKey();
const destination = Buffer.from(secp256k1.getPublicKey(key, true)).toString("hex");

/** sha256 of some random bytes, hex: a fresh payment hash. */
export const randomHash = (): string => createHash("sha256").update(randomBytes(32)).digest("hex");

/** The creation time every {@link signedInvoice} carries. */
export const INVOICE_CREATED_AT = "2026-12-03T16:00:07.000Z";

/**
 * @param id the payment hash, hex
 * @param extra fields overriding the defaults (e.g. `{ description_hash }`)
 */
export function signedInvoice(id: string, extra: object = { description: "swap" }): string {
  const unsigned = bolt11Lib.createUnsignedRequest({
    created_at: INVOICE_CREATED_AT,
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
  return bolt11Lib.createSignedRequest({
    destination,
    hrp: unsigned.hrp,
    signature: Buffer.from(sig).toString("hex"),
    tags: unsigned.tags,
  }).request;
}
