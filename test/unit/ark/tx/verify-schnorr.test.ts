import { randomBytes } from "node:crypto";
import { schnorr } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { createSchnorrSigner, verifySchnorr } from "../../../../src/ark/tx/crypto.js";

const P = 2n ** 256n - 2n ** 32n - 977n;
const N = schnorr.Point.Fn.ORDER;
const be32 = (n: bigint) => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, "0"), "hex"));

/** Our answer and noble's agree, and are `want`. */
function both(sig: Uint8Array, msg: Uint8Array, key: Uint8Array, want: boolean): void {
  let noble: boolean;
  try {
    noble = schnorr.verify(sig, msg, key);
  } catch {
    noble = false;
  }
  expect(noble).toBe(want);
  expect(verifySchnorr(sig, msg, key)).toBe(want);
}

describe("verifySchnorr (BIP340, noble's checks)", () => {
  it("agrees with noble on valid and tampered signatures, for fresh keys and for a key used again and again", () => {
    const frequent = createSchnorrSigner(randomBytes(32));
    for (let i = 0; i < 40; i++) {
      const signer = i % 2 === 0 ? frequent : createSchnorrSigner(randomBytes(32));
      const msg = randomBytes(32);
      const sig = signer.sign(msg);
      both(sig, msg, signer.xOnlyPubkey, true);
      const nobleSig = schnorr.sign(msg, randomBytes(32));
      both(nobleSig, msg, signer.xOnlyPubkey, false); // another key's signature
      const flipped = Uint8Array.from(sig);
      flipped[i % 64] = (flipped[i % 64] as number) ^ (1 << (i % 8));
      both(flipped, msg, signer.xOnlyPubkey, false);
      const otherMsg = Uint8Array.from(msg);
      otherMsg[0] = (otherMsg[0] as number) ^ 1;
      both(sig, otherMsg, signer.xOnlyPubkey, false);
    }
  });

  it("refuses r ≥ p, r = 0, s ≥ n, s = 0, a key off the curve or ≥ p, and wrong lengths", () => {
    const signer = createSchnorrSigner(randomBytes(32));
    const msg = randomBytes(32);
    const sig = signer.sign(msg);
    const withR = (r: bigint) => Uint8Array.from([...be32(r), ...sig.subarray(32)]);
    const withS = (s: bigint) => Uint8Array.from([...sig.subarray(0, 32), ...be32(s)]);
    const key = signer.xOnlyPubkey;
    both(withR(P), msg, key, false);
    both(withR(P + 1n), msg, key, false);
    both(withR(0n), msg, key, false);
    both(withS(N), msg, key, false);
    both(withS(N + (BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`) % 1000n)), msg, key, false);
    both(withS(0n), msg, key, false);
    // x = 5: x³ + 7 = 132 is not a square mod p, so no point has it
    both(sig, msg, be32(5n), false);
    both(sig, msg, be32(P + 1n), false);
    expect(verifySchnorr(sig.subarray(0, 63), msg, key)).toBe(false);
    expect(verifySchnorr(sig, msg, key.subarray(0, 31))).toBe(false);
  });

  it("verifies messages of any length, as noble does", () => {
    const sk = Uint8Array.from(randomBytes(32));
    const key = schnorr.getPublicKey(sk);
    for (const len of [0, 1, 31, 33, 100]) {
      const msg = Uint8Array.from(randomBytes(len));
      const sig = schnorr.sign(msg, sk);
      both(sig, msg, key, true);
      both(sig, Uint8Array.from([...msg, 0]), key, false);
    }
  });
});
