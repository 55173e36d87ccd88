/** Preimage ↔ payment hash checks (invariant 2): every preimage is verified before use. */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { isLowerHex32 } from "../lib/hex.js";

/** Whether `preimage` (32 bytes, lower-case hex) hashes to `paymentHash` with sha256. */
export function preimageMatches(preimage: string | undefined, paymentHash: string): preimage is string {
  if (preimage === undefined || !isLowerHex32(preimage) || !isLowerHex32(paymentHash)) return false;
  return hex.encode(sha256(hex.decode(preimage))) === paymentHash;
}
