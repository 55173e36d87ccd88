/**
 * The creation time and payment hash a BOLT11 string commits to, read without a signature check
 * (no ECDSA public-key recovery). Used on the invoices our own LND makes, which arrive over an
 * authenticated channel: what a swap relies on is that the invoice commits to the payment hash we
 * asked for, and when it was made.
 */
import { bech32 } from "@scure/base";

/** BOLT11: a 65-byte signature (104 five-bit words) ends the data; a 35-bit timestamp starts it. */
const SIGNATURE_WORDS = 104;
const TIMESTAMP_WORDS = 7;
/** Tag `p` (payment hash) is the bech32 character `p` = 1; its 256 bits take 52 words. */
const TAG_PAYMENT_HASH = 1;
const HASH_WORDS = 52;

/**
 * The creation time and payment hash a BOLT11 string commits to (no signature check).
 * @returns undefined when it is not a well-formed BOLT11 string with a payment hash
 */
export function bolt11Header(request: string): { createdAt: Date; paymentHash: string } | undefined {
  let words: number[];
  try {
    words = bech32.decode(request as `${string}1${string}`, false).words;
  } catch {
    return undefined;
  }
  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) return undefined;
  let seconds = 0;
  for (let i = 0; i < TIMESTAMP_WORDS; i++) seconds = seconds * 32 + (words[i] as number);
  const end = words.length - SIGNATURE_WORDS;
  for (let i = TIMESTAMP_WORDS; i + 3 <= end;) {
    const tag = words[i] as number;
    const length = (words[i + 1] as number) * 32 + (words[i + 2] as number);
    const data = words.slice(i + 3, i + 3 + length);
    if (i + 3 + length > end) return undefined;
    if (tag === TAG_PAYMENT_HASH && length === HASH_WORDS) {
      const hash = bech32.fromWordsUnsafe(data);
      if (hash === undefined) return undefined;
      return {
        createdAt: new Date(seconds * 1000),
        paymentHash: Buffer.from(hash.slice(0, 32)).toString("hex"),
      };
    }
    i += 3 + length;
  }
  return undefined;
}
