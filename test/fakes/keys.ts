/** Real secp256k1 keys and preimages for the fakes and tests (the VHTLC builder checks curve points). */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { randomBytes } from "node:crypto";

/** A compressed public key (hex) derived deterministically from a label. */
export function pubkeyFor(label: string): string {
  const priv = sha256(new TextEncoder().encode(`fake-key:${label}`));
  return hex.encode(secp256k1.getPublicKey(priv, true));
}

export function sha256Hex(dataHex: string): string {
  return hex.encode(sha256(hex.decode(dataHex)));
}

export function hash160OfPreimage(preimageHex: string): string {
  return hex.encode(ripemd160(sha256(hex.decode(preimageHex))));
}

/** A random preimage and its payment hash. */
export function preimagePair(): { preimage: string; paymentHash: string } {
  const preimage = randomBytes(32).toString("hex");
  return { preimage, paymentHash: sha256Hex(preimage) };
}

export function randomTxid(): string {
  return randomBytes(32).toString("hex");
}
