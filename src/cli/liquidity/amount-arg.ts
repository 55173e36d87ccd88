/** Strict parsing of an amount argument: a positive whole number of sats as a bigint. */
import { MAX_SATS } from "../../domain/amounts.js";
import { UsageError } from "../usage.js";

/**
 * `"50000"` → `50000n`. No signs, decimals, exponents, separators, units or leading zeros.
 * @throws UsageError naming the command
 */
export function parseSatsArg(text: string | undefined, command: string): bigint {
  if (text === undefined) throw new UsageError("missing <sats>", command);
  if (!/^[1-9][0-9]{0,15}$/.test(text))
    throw new UsageError(`<sats> must be a positive whole number of sats, got "${text}"`, command);
  const sats = BigInt(text);
  if (sats > MAX_SATS) throw new UsageError(`<sats> is more than 21 million BTC: ${text}`, command);
  return sats;
}
