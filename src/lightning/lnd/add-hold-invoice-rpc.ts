/**
 * AddHoldInvoice (invoicesrpc) on ln-service's authenticated gRPC client, answering in the shape
 * of ln-service's `createHodlInvoice` (and rejecting in its `[status, name, {err}]` shape), for
 * one reason: `createHodlInvoice` decodes the BOLT11 string LND returns three times, each with
 * an ECDSA public-key recovery, which was ~7 % of the gateway's CPU per reverse-swap create
 * (bench:swaps --cpu-prof). Here the answer is read without a signature check: the invoice comes
 * from our own LND over an authenticated channel, and what the swap relies on is checked instead
 * (the invoice commits to the payment hash we asked for; its creation time).
 */
import { bech32 } from "@scure/base";
import type { AuthenticatedLnd, LnCreatedHodlInvoice } from "./ln-service.js";

/** The request `createHodlInvoice` takes (the subset the adapter sends). */
export interface AddHoldInvoiceArgs {
  readonly lnd: AuthenticatedLnd;
  /** Payment hash, hex. */
  readonly id: string;
  readonly mtokens: string;
  readonly cltv_delta: number;
  /** ISO time; sent as whole seconds from now, as ln-service does. */
  readonly expires_at: string;
  readonly description?: string;
  /** BOLT11 `h`, hex. */
  readonly description_hash?: string;
}

type Callback = (err: unknown, res?: { payment_request?: unknown }) => void;
interface InvoicesClient {
  addHoldInvoice(request: Record<string, unknown>, callback: Callback): void;
}

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

/** `createHodlInvoice`'s answer, from one AddHoldInvoice call and no signature recovery. */
export function addHoldInvoice(args: AddHoldInvoiceArgs): Promise<LnCreatedHodlInvoice> {
  const invoices = (args.lnd as { invoices?: Partial<InvoicesClient> }).invoices;
  if (typeof invoices?.addHoldInvoice !== "function")
    return Promise.reject([400, "ExpectedInvoicesLndToCreateHodlInvoice"]);
  const expiresMs = Date.parse(args.expires_at) - Date.now();
  const request = {
    cltv_expiry: args.cltv_delta,
    description_hash:
      args.description_hash === undefined ? undefined : Buffer.from(args.description_hash, "hex"),
    expiry: Math.round(expiresMs / 1000),
    hash: Buffer.from(args.id, "hex"),
    memo: args.description,
    private: false,
    value_msat: args.mtokens,
  };
  return new Promise((resolve, reject) => {
    invoices.addHoldInvoice!(request, (err, res) => {
      if (err) return reject([503, "UnexpectedAddHodlInvoiceError", { err }]);
      const bolt11 = res?.payment_request;
      if (typeof bolt11 !== "string" || bolt11 === "")
        return reject([503, "ExpectedPaymentRequestForCreatedInvoice"]);
      const header = bolt11Header(bolt11);
      if (header === undefined || header.paymentHash !== args.id.toLowerCase())
        return reject([503, "ExpectedValidPaymentRequestForHodlInvoice"]);
      resolve({
        created_at: header.createdAt.toISOString(),
        id: header.paymentHash,
        mtokens: args.mtokens,
        request: bolt11,
      });
    });
  });
}
