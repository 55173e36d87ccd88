import { randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { isValidCompressedPubkeyHex, isValidXOnly } from "../../../src/lib/secp256k1-keys.js";

/** noble's full parse (point decompression with a square root): the reference. */
function nobleAccepts(hex: string): boolean {
  try {
    secp256k1.Point.fromHex(hex.toLowerCase()).assertValidity();
    return true;
  } catch {
    return false;
  }
}

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const hex32 = (n: bigint): string => n.toString(16).padStart(64, "0");

describe("secp256k1 key checks without a square root", () => {
  it("agrees with noble's point parse on 600 random x coordinates, both prefixes", () => {
    let valid = 0;
    for (let i = 0; i < 300; i++) {
      const x = randomBytes(32).toString("hex");
      for (const prefix of ["02", "03"]) {
        const key = `${prefix}${x}`;
        const expected = nobleAccepts(key);
        expect(isValidCompressedPubkeyHex(key), key).toBe(expected);
        expect(isValidXOnly(Buffer.from(x, "hex")), x).toBe(expected);
        if (expected) valid++;
      }
    }
    // about half of all x lift to a point: both outcomes were exercised
    expect(valid).toBeGreaterThan(150);
    expect(valid).toBeLessThan(450);
  });

  it("accepts real keys in either case and refuses what is not a compressed key", () => {
    const key = Buffer.from(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)).toString("hex");
    expect(isValidCompressedPubkeyHex(key)).toBe(true);
    expect(isValidCompressedPubkeyHex(key.toUpperCase())).toBe(true);
    expect(isValidCompressedPubkeyHex(`04${key.slice(2)}`)).toBe(false); // not a compressed prefix
    expect(isValidCompressedPubkeyHex(key.slice(0, 64))).toBe(false); // 32 bytes
    expect(isValidCompressedPubkeyHex(`${key}00`)).toBe(false);
    expect(isValidCompressedPubkeyHex(`02${"zz".repeat(32)}`)).toBe(false);
    expect(isValidCompressedPubkeyHex(42)).toBe(false);
    expect(isValidCompressedPubkeyHex(undefined)).toBe(false);
  });

  it("refuses x = 0 and x ≥ p, accepts the largest curve x below p as noble does", () => {
    expect(isValidCompressedPubkeyHex(`02${hex32(0n)}`)).toBe(false);
    expect(isValidCompressedPubkeyHex(`02${hex32(P)}`)).toBe(false);
    expect(isValidCompressedPubkeyHex(`03${hex32(P + 1n)}`)).toBe(false);
    expect(isValidCompressedPubkeyHex(`02${"ff".repeat(32)}`)).toBe(false);
    let x = P - 1n;
    while (!nobleAccepts(`02${hex32(x)}`)) x--;
    expect(isValidCompressedPubkeyHex(`02${hex32(x)}`)).toBe(true);
    expect(isValidCompressedPubkeyHex(`02${hex32(x + 1n)}`)).toBe(nobleAccepts(`02${hex32(x + 1n)}`));
  });
});
