/**
 * Hex checks, one per concept (pure). The case rule (docs/architecture.md, "Hex"): what comes
 * from outside (wallets, arkd, LND, files) is checked in either case and lower-cased where it is
 * kept; what the gateway itself stores and compares (payment hashes, preimages, txids it wrote)
 * is lower-case only, checked with the `isLower…` functions.
 */

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const HEX32 = /^[0-9a-fA-F]{64}$/;
const LOWER_HEX32 = /^[0-9a-f]{64}$/;
const COMPRESSED_PUBKEY = /^0[23][0-9a-fA-F]{64}$/;
const LOWER_COMPRESSED_PUBKEY = /^0[23][0-9a-f]{64}$/;
const LOWER_HEX20 = /^[0-9a-f]{40}$/;
const P2TR_SCRIPT = /^5120[0-9a-fA-F]{64}$/;

/** Non-empty, even-length hex (whole bytes), either case. */
export function isHex(value: unknown): value is string {
  return typeof value === "string" && HEX.test(value);
}

/** 32 bytes of hex (64 chars), either case: a txid, hash, preimage or x-only key from outside. */
export function isHex32(value: unknown): value is string {
  return typeof value === "string" && HEX32.test(value);
}

/** 32 bytes of lower-case hex: a payment hash, preimage or txid as the gateway stores it. */
export function isLowerHex32(value: unknown): value is string {
  return typeof value === "string" && LOWER_HEX32.test(value);
}

/** A transaction id: 32 bytes of hex, either case. */
export const isTxidHex = isHex32;

/** A 32-byte x-only public key (BIP-340) in hex, either case (the curve is not checked). */
export const isXOnlyPubkeyHex = isHex32;

/** A 33-byte compressed public key in hex (02/03 prefix), either case (the curve is not checked). */
export function isCompressedPubkeyHex(value: unknown): value is string {
  return typeof value === "string" && COMPRESSED_PUBKEY.test(value);
}

/** A 33-byte compressed public key in lower-case hex, as the gateway stores it (the curve is not checked). */
export function isLowerCompressedPubkeyHex(value: unknown): value is string {
  return typeof value === "string" && LOWER_COMPRESSED_PUBKEY.test(value);
}

/** 20 bytes of lower-case hex: a HASH160 / RIPEMD160 as the gateway stores it. */
export function isLowerHex20(value: unknown): value is string {
  return typeof value === "string" && LOWER_HEX20.test(value);
}

/** The 64-char x-only part of a 33-byte compressed or 32-byte x-only hex key; undefined otherwise. */
export function xOnlyHexOf(key: unknown): string | undefined {
  if (isXOnlyPubkeyHex(key)) return key;
  if (isCompressedPubkeyHex(key)) return key.slice(2);
  return undefined;
}

/** A segwit v1 (P2TR) output script in hex: `5120` + 32-byte key, either case. */
export function isP2trScriptHex(value: unknown): value is string {
  return typeof value === "string" && P2TR_SCRIPT.test(value);
}
