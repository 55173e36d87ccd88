import { createHash } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  buildVhtlc,
  h160FromPreimage,
  preimageHash160,
  vhtlcParamsFromStored,
  type StoredVhtlc,
} from "../../../../src/ark/scripts/index.js";
import { isGatewayError } from "../../../../src/domain/errors.js";

const compressed = (seed: number): string =>
  hex.encode(
    secp256k1.getPublicKey(
      Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? seed : 1)),
      true,
    ),
  );

const stored: StoredVhtlc = {
  senderPubkey: compressed(1),
  receiverPubkey: compressed(2),
  serverPubkey: compressed(3),
  preimageHash160: "ab".repeat(20),
  refundLocktime: 800n,
  unilateralClaimDelay: 20n,
  unilateralRefundDelay: 21n,
  unilateralRefundWithoutReceiverDelay: 1024n,
};

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "ok";
  } catch (e) {
    return isGatewayError(e) ? e.code : `not a GatewayError: ${String(e)}`;
  }
};

describe("vhtlcParamsFromStored: one decoder of a stored VHTLC", () => {
  it("decodes keys as stored (33-byte compressed), the h160 and the delays", () => {
    const p = vhtlcParamsFromStored(stored);
    expect(hex.encode(p.sender)).toBe(stored.senderPubkey);
    expect(hex.encode(p.receiver)).toBe(stored.receiverPubkey);
    expect(hex.encode(p.server)).toBe(stored.serverPubkey);
    expect(p.sender.length).toBe(33);
    expect(hex.encode(p.preimageHash)).toBe(stored.preimageHash160);
    expect(p.refundLocktime).toBe(800n);
    expect(p.unilateralClaimDelay).toEqual({ type: "blocks", value: 20n });
    expect(p.unilateralRefundDelay).toEqual({ type: "blocks", value: 21n });
    expect(p.unilateralRefundWithoutReceiverDelay).toEqual({ type: "seconds", value: 1024n });
    // the builder takes them as they are and normalises to x-only
    expect(hex.encode(buildVhtlc(p).params.sender)).toBe(stored.senderPubkey.slice(2));
  });

  const key = compressed(1);
  const keyForms: [string, string, string][] = [
    ["compressed, 02/03 prefix, lower case (as stored; every caller)", key, "ok"],
    ["compressed with the other parity prefix", (key.startsWith("02") ? "03" : "02") + key.slice(2), "ok"],
    ["x-only, 32 bytes (the wallet's decoder used to accept it)", key.slice(2), "vhtlc.invalid_pubkey"],
    ["upper-case hex (the wallet's decoder used to accept it)", key.toUpperCase(), "vhtlc.invalid_pubkey"],
    ["uncompressed 04 prefix", `04${key.slice(2)}${"00".repeat(32)}`, "vhtlc.invalid_pubkey"],
    ["05 prefix, 33 bytes", `05${key.slice(2)}`, "vhtlc.invalid_pubkey"],
    ["one byte short", key.slice(0, 64), "vhtlc.invalid_pubkey"],
    ["not hex", `02${"zz".repeat(32)}`, "vhtlc.invalid_pubkey"],
    ["empty", "", "vhtlc.invalid_pubkey"],
  ];
  it.each(keyForms)("key form: %s", (_name, form, expected) => {
    for (const field of ["senderPubkey", "receiverPubkey", "serverPubkey"] as const) {
      expect(codeOf(() => vhtlcParamsFromStored({ ...stored, [field]: form }))).toBe(expected);
    }
  });

  const hashes: [string, string, string][] = [
    ["20 bytes lower case", "0f".repeat(20), "ok"],
    ["upper case", "0F".repeat(20), "vhtlc.invalid_preimage_hash"],
    ["32 bytes (a payment hash, not its h160)", "0f".repeat(32), "vhtlc.invalid_preimage_hash"],
    ["19 bytes", "0f".repeat(19), "vhtlc.invalid_preimage_hash"],
  ];
  it.each(hashes)("preimage hash: %s", (_name, h, expected) => {
    expect(codeOf(() => vhtlcParamsFromStored({ ...stored, preimageHash160: h }))).toBe(expected);
  });

  it("a delay that is no BIP-68 value is refused with the timelock's code", () => {
    expect(codeOf(() => vhtlcParamsFromStored({ ...stored, unilateralClaimDelay: 0n }))).toMatch(
      /^timelock\./,
    );
  });
});

describe("preimageHash160: the one RIPEMD160(payment hash) helper", () => {
  const preimages = [
    new Uint8Array(32),
    Uint8Array.from({ length: 32 }, (_, i) => i),
    new Uint8Array(32).fill(0xff),
  ];
  it.each(preimages.map((p) => [hex.encode(p)]))("preimage %s", (preimageHex) => {
    const preimage = hex.decode(preimageHex);
    const paymentHash = createHash("sha256").update(preimage).digest("hex");
    // an independent implementation (OpenSSL's, through node:crypto) and the preimage route agree
    const expected = createHash("ripemd160").update(Buffer.from(paymentHash, "hex")).digest("hex");
    expect(preimageHash160(paymentHash)).toBe(expected);
    expect(hex.encode(h160FromPreimage(preimage))).toBe(expected);
  });

  it("refuses a payment hash that is not 32 bytes", () => {
    expect(codeOf(() => preimageHash160("00".repeat(20)))).toBe("vhtlc.invalid_payment_hash");
  });
});
