/**
 * A VHTLC as the gateway stores it (hex keys and hash, bigint timelocks) decoded into the
 * parameters the script builder takes. The one rule for every caller (swap core, wallet,
 * restore API): keys are exactly as stored, 33-byte compressed secp256k1 keys in lower-case hex
 * (02/03 prefix); they are passed on unchanged and `buildVhtlc` checks curve membership and
 * normalises them to x-only. An x-only, upper-case or otherwise re-encoded key is a corrupt
 * record, not a second accepted form. Pure; no IO.
 */
import { hex } from "@scure/base";
import { isLowerCompressedPubkeyHex, isLowerHex20 } from "../../lib/hex.js";
import { scriptError } from "./errors.js";
import { relativeTimelockFromNumber } from "./timelocks.js";
import { h160FromPaymentHash, type VhtlcParams } from "./vhtlc.js";

/** The stored fields that fix a VHTLC (the swap record's, and the Ark port's `SwapVhtlc`). */
export interface StoredVhtlc {
  /** 33-byte compressed key, lower-case hex. */
  readonly senderPubkey: string;
  readonly receiverPubkey: string;
  readonly serverPubkey: string;
  /** RIPEMD160(payment hash), 20 bytes, lower-case hex. */
  readonly preimageHash160: string;
  readonly refundLocktime: bigint;
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
}

/**
 * RIPEMD160(payment hash), hex: the stored `preimageHash160` of a swap's VHTLC (the one hex
 * form of `h160FromPaymentHash`).
 * @param paymentHash 32 bytes, hex
 * @throws GatewayError `vhtlc.invalid_payment_hash`; Error on a string that is not hex
 */
export function preimageHash160(paymentHash: string): string {
  return hex.encode(h160FromPaymentHash(hex.decode(paymentHash)));
}

/**
 * The builder's parameters of a stored VHTLC.
 * @throws GatewayError `vhtlc.invalid_pubkey` (a key not 33-byte compressed lower-case hex),
 *   `vhtlc.invalid_preimage_hash` (not 20 bytes of lower-case hex), `timelock.*` (a delay that
 *   is no BIP-68 value)
 */
export function vhtlcParamsFromStored(v: StoredVhtlc): VhtlcParams {
  return {
    sender: storedKey(v.senderPubkey, "senderPubkey"),
    receiver: storedKey(v.receiverPubkey, "receiverPubkey"),
    server: storedKey(v.serverPubkey, "serverPubkey"),
    preimageHash: storedH160(v.preimageHash160),
    refundLocktime: v.refundLocktime,
    unilateralClaimDelay: relativeTimelockFromNumber(v.unilateralClaimDelay),
    unilateralRefundDelay: relativeTimelockFromNumber(v.unilateralRefundDelay),
    unilateralRefundWithoutReceiverDelay: relativeTimelockFromNumber(v.unilateralRefundWithoutReceiverDelay),
  };
}

function storedKey(key: string, field: string): Uint8Array {
  if (typeof key !== "string" || !isLowerCompressedPubkeyHex(key))
    throw scriptError("vhtlc.invalid_pubkey", `${field} is not a 33-byte compressed key in lower-case hex`, {
      field,
    });
  return hex.decode(key);
}

function storedH160(h160: string): Uint8Array {
  if (typeof h160 !== "string" || !isLowerHex20(h160))
    throw scriptError("vhtlc.invalid_preimage_hash", "preimageHash160 is not 20 bytes of lower-case hex");
  return hex.decode(h160);
}
