/**
 * Pair quotes (Boltz `GET /v2/swap/{submarine,reverse}`): fees and limits with a hash that
 * changes whenever they do, so a create request echoing an old hash is refused.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { formatPpmAsPercent } from "../domain/fees.js";
import type { PairQuote } from "./ports/swap-service.js";
import type { SwapSettings } from "./settings.js";

/**
 * The quote of one direction. The hash is sha256 over a canonical JSON of the direction, its fee
 * schedule, its limits and (submarine) the routing-fee budget: stable across restarts.
 */
export function pairQuote(settings: SwapSettings, direction: "submarine" | "reverse"): PairQuote {
  const fee = settings.fees[direction];
  const limits = settings.limits[direction];
  const canonical = JSON.stringify([
    direction,
    fee.ratePpm.toString(),
    fee.baseFeeSats.toString(),
    limits.minSats.toString(),
    limits.maxSats.toString(),
    ...(direction === "submarine"
      ? [settings.routingFeeBudget.ratePpm.toString(), settings.routingFeeBudget.minSats.toString()]
      : []),
  ]);
  return {
    hash: hex.encode(sha256(new TextEncoder().encode(canonical))),
    feePercentage: formatPpmAsPercent(fee.ratePpm),
    minimalSats: limits.minSats,
    maximalSats: limits.maxSats,
    baseFeeSats: fee.baseFeeSats,
  };
}
