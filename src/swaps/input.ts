/** Checks of what wallets send (invariant 8: a clear 4xx with a stable code, before any work). */
import { isGatewayError } from "../domain/errors.js";
import { assertWithinLimits, type SwapLimits } from "../domain/limits.js";
import { swapError } from "./errors.js";
import type { PairQuote } from "./ports/swap-service.js";
import { isLowerHex32 } from "../lib/hex.js";
import { isValidCompressedPubkeyHex } from "../lib/secp256k1-keys.js";

/**
 * A 33-byte compressed secp256k1 public key, lower-cased.
 * @throws GatewayError `swap.invalid_public_key`
 */
export function checkPublicKey(value: unknown, field: string): string {
  const key = typeof value === "string" ? value.toLowerCase() : "";
  if (!isValidCompressedPubkeyHex(key))
    throw swapError("swap.invalid_public_key", `${field} is not a compressed secp256k1 public key`, {
      field,
    });
  return key;
}

/** A sha256 hash as 64 hex chars, lower-cased. @throws GatewayError `swap.invalid_preimage_hash` */
export function checkPreimageHash(value: unknown): string {
  const hash = typeof value === "string" ? value.toLowerCase() : "";
  if (!isLowerHex32(hash))
    throw swapError("swap.invalid_preimage_hash", "preimageHash must be 32 bytes of hex");
  return hash;
}

/** @throws GatewayError `swap.pair_hash_mismatch` when a pair hash is given and is not the current one */
export function checkPairHash(given: string | undefined, quote: PairQuote): void {
  if (given !== undefined && given !== quote.hash) {
    throw swapError("swap.pair_hash_mismatch", "fees or limits changed: fetch the pairs again", {
      expected: quote.hash,
    });
  }
}

/** @throws GatewayError `swap.amount_out_of_limits` */
export function checkLimits(amountSats: bigint, limits: SwapLimits): void {
  try {
    assertWithinLimits(amountSats, limits);
  } catch (cause) {
    if (!isGatewayError(cause)) throw cause;
    throw swapError(
      "swap.amount_out_of_limits",
      cause.message,
      {
        minSats: limits.minSats.toString(),
        maxSats: limits.maxSats.toString(),
        amountSats: String(amountSats),
      },
      cause,
    );
  }
}

/** Random swap id: 12 characters of [a-zA-Z0-9]. */
export function newSwapId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
