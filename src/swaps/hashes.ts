/** Preimage ↔ payment hash checks (invariant 2): every preimage is verified before use. */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";

const HEX32 = /^[0-9a-f]{64}$/;

/** Whether `preimage` (32 bytes, lower-case hex) hashes to `paymentHash` with sha256. */
export function preimageMatches(preimage: string | undefined, paymentHash: string): preimage is string {
  if (preimage === undefined || !HEX32.test(preimage) || !HEX32.test(paymentHash)) return false;
  return hex.encode(sha256(hex.decode(preimage))) === paymentHash;
}

/** Whether `value` is 32 bytes of lower-case hex (a payment hash or preimage). */
export function isHex32(value: unknown): value is string {
  return typeof value === "string" && HEX32.test(value);
}
