/**
 * A minimal BOLT11 encoder for the client-compatibility tests: the fake LND's invoices are opaque
 * strings, but `@arkade-os/boltz-swap` decodes invoices itself (light-bolt11-decoder: amount,
 * payment hash, expiry), so the invoices it sees must be real, signed BOLT11 payment requests.
 * Fields: timestamp, payment hash (p), payment secret (s), description (d) or its hash (h), expiry (x),
 * min_final_cltv_expiry (c); amount in the human-readable part as pico-BTC; signature
 * r||s||recovery id over sha256(hrp || data).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32, hex, utf8 } from "@scure/base";

export interface Bolt11Fields {
  readonly paymentHash: string;
  readonly amountMsat: bigint;
  readonly timestamp: number;
  readonly expirySeconds: number;
  readonly cltvDelta: number;
  readonly description?: string;
  /** SHA-256 of the description, hex: encoded as `h` instead of `d`. */
  readonly descriptionHash?: string;
}

/** Big-endian 5-bit words of a non-negative integer, left-padded to `length` words (if given). */
function intWords(value: number, length?: number): number[] {
  const words: number[] = [];
  let v = value;
  do {
    words.unshift(v & 31);
    v = Math.floor(v / 32);
  } while (v > 0);
  while (length !== undefined && words.length < length) words.unshift(0);
  return words;
}

function tagged(tag: number, data: number[]): number[] {
  return [tag, ...intWords(data.length, 2), ...data];
}

/** 5-bit words → bytes, zero-padded at the end (the signed message of BOLT11). */
function wordsToPaddedBytes(words: number[]): Uint8Array {
  const bits = words.length * 5;
  const out = new Uint8Array(Math.ceil(bits / 8));
  let acc = 0;
  let accBits = 0;
  let i = 0;
  for (const w of words) {
    acc = (acc << 5) | w;
    accBits += 5;
    while (accBits >= 8) {
      accBits -= 8;
      out[i++] = (acc >> accBits) & 0xff;
    }
    acc &= (1 << accBits) - 1;
  }
  if (accBits > 0) out[i] = (acc << (8 - accBits)) & 0xff;
  return out;
}

/** A signed regtest BOLT11 payment request (`lnbcrt<amount>p1...`). */
export function encodeBolt11(fields: Bolt11Fields, nodeKey: Uint8Array): string {
  const hrp = `lnbcrt${fields.amountMsat * 10n}p`;
  const secret = sha256(hex.decode(fields.paymentHash)); // any 32 bytes do
  const words = [
    ...intWords(fields.timestamp, 7),
    ...tagged(1, bech32.toWords(hex.decode(fields.paymentHash))),
    ...tagged(16, bech32.toWords(secret)),
    ...(fields.descriptionHash === undefined
      ? tagged(13, bech32.toWords(utf8.decode(fields.description ?? "")))
      : tagged(23, bech32.toWords(hex.decode(fields.descriptionHash)))),
    ...tagged(6, intWords(fields.expirySeconds)),
    ...tagged(24, intWords(fields.cltvDelta)),
  ];
  const message = sha256(new Uint8Array([...utf8.decode(hrp), ...wordsToPaddedBytes(words)]));
  const recovered = secp256k1.sign(message, nodeKey, { prehash: false, format: "recovered" });
  const signature = new Uint8Array([...recovered.subarray(1), recovered[0] as number]);
  return bech32.encode(hrp, [...words, ...bech32.toWords(signature)], false);
}
