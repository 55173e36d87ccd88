/**
 * Field schemas of the Boltz v2 wire: compressed public keys (checked on the curve), SHA-256
 * preimage hashes, BOLT11 invoices (prefix and bech32 checksum; the service decodes and judges
 * them), base64 PSBTs and swap ids. Hex comes back lower-cased.
 */
import { base64, bech32 } from "@scure/base";
import { isValidCompressedPubkeyHex } from "../../lib/secp256k1-keys.js";
import { apiError } from "./errors.js";
import { invalid, string, type Schema } from "./schema.js";

const HEX = /^[0-9a-fA-F]*$/;
/** Swap ids the gateway hands out: short URL-safe tokens. */
const SWAP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** BOLT11 human-readable part: `ln` + network (bc, tb, tbs, bcrt, sb) + optional amount. */
const BOLT11_HRP = /^ln(bc|tbs|tb|bcrt|sb)([0-9]+[munp]?)?$/;
/** BOLT11 invoices carry long descriptions and route hints; 7089 is the QR-code ceiling. */
const MAX_INVOICE_LENGTH = 7089;
const PSBT_MAGIC = [0x70, 0x73, 0x62, 0x74, 0xff];

/** Hex of exactly `bytes` bytes, lower-cased. */
export function hexBytes(
  bytes: number,
  code: "request.invalid_hex" | "request.invalid_preimage_hash",
): Schema<string> {
  return string({
    maxLength: 256,
    json: { minLength: bytes * 2, maxLength: bytes * 2, pattern: `^[0-9a-fA-F]{${bytes * 2}}$` },
    check: (s, path) => {
      if (s.length !== bytes * 2 || !HEX.test(s)) invalid(code, path, `must be ${bytes} bytes of hex`);
      return s.toLowerCase();
    },
  });
}

/** A 33-byte compressed secp256k1 public key (02/03 prefix) that lies on the curve. */
export function compressedPubkey(): Schema<string> {
  return string({
    maxLength: 256,
    json: {
      minLength: 66,
      maxLength: 66,
      pattern: "^0[23][0-9a-fA-F]{64}$",
      description: "33-byte compressed secp256k1 key, hex",
    },
    check: (s, path) => {
      if (!isCompressedPubkey(s))
        invalid("request.invalid_pubkey", path, "must be a 33-byte compressed public key on secp256k1");
      return s.toLowerCase();
    },
  });
}

/** Whether `s` is the hex of a valid 33-byte compressed secp256k1 point (no square root taken). */
export function isCompressedPubkey(s: string): boolean {
  return isValidCompressedPubkeyHex(s);
}

/** A SHA-256 preimage hash: 32 bytes of hex. */
export function preimageHash(): Schema<string> {
  return hexBytes(32, "request.invalid_preimage_hash");
}

/**
 * A BOLT11 invoice: an `ln…` bech32 string (single case) with a valid checksum, lower-cased.
 * Whether it is payable (network, amount, expiry) is the service's judgement.
 */
export function bolt11Invoice(): Schema<string> {
  return string({
    maxLength: MAX_INVOICE_LENGTH,
    json: { description: "BOLT11 invoice" },
    check: (s, path) => {
      if (!isBolt11Shaped(s)) invalid("request.invalid_invoice", path, "must be a BOLT11 invoice");
      return s.toLowerCase();
    },
  });
}

/** Whether `s` looks like a BOLT11 invoice: bech32 with an `ln…` prefix and a valid checksum. */
export function isBolt11Shaped(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const lower = s.toLowerCase();
  const sep = lower.lastIndexOf("1");
  if (sep < 4 || !BOLT11_HRP.test(lower.slice(0, sep))) return false;
  try {
    bech32.decode(lower as `${string}1${string}`, false);
    return true;
  } catch {
    return false;
  }
}

/** A base64-encoded PSBT (checked for the `psbt\xff` magic; the service checks its content). */
export function base64Psbt(maxLength: number): Schema<string> {
  return string({
    maxLength,
    json: { contentEncoding: "base64", description: "PSBT, base64" },
    check: (s, path) => {
      let bytes: Uint8Array;
      try {
        bytes = base64.decode(s);
      } catch {
        invalid("request.invalid_psbt", path, "must be base64");
      }
      if (bytes.length <= PSBT_MAGIC.length || PSBT_MAGIC.some((b, i) => bytes[i] !== b)) {
        invalid("request.invalid_psbt", path, "must be a PSBT");
      }
      return s;
    },
  });
}

/** A swap id: 1–64 characters of `[A-Za-z0-9_-]`. */
export function swapId(): Schema<string> {
  return string({
    maxLength: 64,
    json: { pattern: SWAP_ID.source },
    check: (s, path) => {
      if (!SWAP_ID.test(s)) invalid("request.invalid_id", path, "must be a swap id");
      return s;
    },
  });
}

/**
 * Validates a swap id taken from a URL path (already percent-decoded).
 * @throws GatewayError `request.invalid_id`
 */
export function parsePathId(raw: string): string {
  if (!SWAP_ID.test(raw))
    throw apiError("request.invalid_id", "swap id is malformed", { id: raw.slice(0, 80) });
  return raw;
}
