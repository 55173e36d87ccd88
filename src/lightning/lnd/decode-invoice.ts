/**
 * DecodePayReq (lnrpc.Lightning) on our gRPC client. LND rejects invoices of another network, so
 * a decoded invoice is payable by this node as far as encoding goes.
 */
import { msatToSatsCeil, parseMsat } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import { safeUintOf } from "./chain-wire.js";
import { networkFromBolt11 } from "../../domain/lightning-network.js";
import type { DecodedInvoice, RouteHint, RouteHintHop } from "../../swaps/ports/lightning.js";
import { isCompressedPubkeyHex, isHex32 } from "../../lib/hex.js";
import { channelFromNumber } from "./channel-id.js";
import type { LndContext } from "./context.js";
import { commonLnErrorCode, GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectBolt11 } from "./validate.js";

/** BOLT11's default `min_final_cltv_expiry` when the invoice omits the field. */
const DEFAULT_FINAL_CLTV_DELTA = 18;
/** BOLT11's default expiry when the invoice omits the field. */
const DEFAULT_EXPIRY_SECONDS = 3600;

/** lnrpc.HopHint as our loader gives it. */
export interface LndHopHint {
  readonly node_id: string;
  readonly chan_id: string;
  readonly fee_base_msat: number;
  readonly fee_proportional_millionths: number;
  readonly cltv_expiry_delta: number;
}

/** lnrpc.PayReq, the fields we read (64-bit integers as decimal strings). */
export interface LndPayReq {
  readonly destination: string;
  readonly payment_hash: string;
  readonly timestamp: string;
  readonly expiry: string;
  readonly description: string;
  readonly cltv_expiry: string;
  readonly route_hints: readonly { readonly hop_hints: readonly LndHopHint[] }[];
  readonly payment_addr: Buffer;
  readonly num_msat: string;
  /** Keyed by feature bit. */
  readonly features: Readonly<Record<string, unknown>>;
}

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("not for current active network")) return "ln.invoice_wrong_network";
  const common = commonLnErrorCode(info);
  if (common !== undefined) return common;
  // zpay32 decoding errors come back as plain (UNKNOWN) gRPC errors: checksum, bech32, fields
  if (info.grpcCode === GRPC.UNKNOWN) return "ln.invalid_invoice";
  return undefined;
}

function malformed(field: string): never {
  throw lnError("ln.unexpected_response", `decodeInvoice: LND returned a malformed ${field}`, { field });
}

/** A non-negative int64 decimal string as a safe integer. */
function intOf(value: unknown, field: string): number {
  return safeUintOf(value) ?? malformed(field);
}

function u32Of(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff)
    malformed(field);
  return value;
}

function keyOf(value: unknown, field: string): string {
  if (!isCompressedPubkeyHex(value)) malformed(field);
  return value.toLowerCase();
}

/**
 * One hint path in the port's shape: the first entry is the hint's first node, then one entry per
 * channel, keyed by the node the channel leads to (the last one to the payee).
 */
function routeHintOf(hops: readonly LndHopHint[], destination: string, r: number): RouteHint {
  const first: RouteHintHop = {
    publicKey: keyOf(hops[0]?.node_id, `route_hints[${r}].hop_hints[0].node_id`),
    channel: undefined,
    baseFeeMsat: undefined,
    feeRatePpm: undefined,
    cltvDelta: undefined,
  };
  const edges = hops.map((hop, i): RouteHintHop => {
    const at = `route_hints[${r}].hop_hints[${i}]`;
    const next = hops[i + 1];
    return {
      publicKey: next === undefined ? destination : keyOf(next.node_id, `${at}.node_id`),
      channel: channelFromNumber(hop.chan_id, `${at}.chan_id`),
      baseFeeMsat: BigInt(u32Of(hop.fee_base_msat, `${at}.fee_base_msat`)),
      feeRatePpm: u32Of(hop.fee_proportional_millionths, `${at}.fee_proportional_millionths`),
      cltvDelta: u32Of(hop.cltv_expiry_delta, `${at}.cltv_expiry_delta`),
    };
  });
  return [first, ...edges];
}

/**
 * Converts LND's PayReq into the port's DecodedInvoice.
 * @param now the time `isExpired` is judged at (ms)
 * @throws GatewayError `ln.unexpected_response` on a malformed field, `ln.invalid_invoice` for an
 *   unknown BOLT11 prefix
 */
export function decodedInvoiceFromLnd(
  res: LndPayReq,
  bolt11: string,
  now: number = Date.now(),
): DecodedInvoice {
  const network = networkFromBolt11(bolt11);
  if (network === undefined) throw lnError("ln.invalid_invoice", "decodeInvoice: unknown BOLT11 prefix");
  if (typeof res !== "object" || res === null) malformed("response");
  if (!isHex32(res.payment_hash)) malformed("payment_hash");
  const destination = keyOf(res.destination, "destination");
  const amountMsat = parseMsat(res.num_msat, "num_msat");
  const createdMs = intOf(res.timestamp, "timestamp") * 1000;
  const expirySeconds = intOf(res.expiry, "expiry") || DEFAULT_EXPIRY_SECONDS;
  const expiresMs = createdMs + expirySeconds * 1000;
  if (!Number.isSafeInteger(expiresMs)) malformed("expiry");
  if (!Array.isArray(res.route_hints)) malformed("route_hints");
  const addr = Buffer.isBuffer(res.payment_addr) ? res.payment_addr : Buffer.alloc(0);
  const features = Object.keys(res.features ?? {})
    .map(Number)
    .filter((bit) => Number.isSafeInteger(bit) && bit >= 0)
    .sort((a, b) => a - b);
  return {
    paymentHash: res.payment_hash.toLowerCase(),
    destination,
    amountMsat,
    amountSats: msatToSatsCeil(amountMsat),
    createdAt: new Date(createdMs),
    expiresAt: new Date(expiresMs),
    expirySeconds,
    isExpired: now > expiresMs,
    cltvDelta: intOf(res.cltv_expiry, "cltv_expiry") || DEFAULT_FINAL_CLTV_DELTA,
    network,
    description: typeof res.description === "string" && res.description !== "" ? res.description : undefined,
    paymentSecret: addr.length === 0 ? undefined : addr.toString("hex"),
    features,
    routeHints: res.route_hints
      .filter((hint) => Array.isArray(hint?.hop_hints) && hint.hop_hints.length > 0)
      .map((hint, r) => routeHintOf(hint.hop_hints, destination, r)),
  };
}

/**
 * DecodePayReq, with our error mapping (shared with payInvoice, which reads the invoice's final
 * CLTV delta and features before paying).
 * @throws GatewayError `ln.invalid_invoice`, `ln.invoice_wrong_network`, `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected`
 */
export async function decodePayReq(ctx: LndContext, request: string, operation: string): Promise<LndPayReq> {
  try {
    return await ctx.rpc.unary<LndPayReq>("lightning", "DecodePayReq", { pay_req: request });
  } catch (err) {
    throw toLightningError(err, operation, mapError);
  }
}

/**
 * @param bolt11 the invoice (a `lightning:` prefix is accepted)
 * @returns hash, destination, amount (msat exact, sats rounded up), dates, CLTV delta, network,
 *   features and route hints
 * @throws GatewayError `ln.invalid_argument`, `ln.invalid_invoice`, `ln.invoice_wrong_network`,
 *   `ln.unavailable`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function decodeInvoice(ctx: LndContext, bolt11: string): Promise<DecodedInvoice> {
  const request = expectBolt11(bolt11, "bolt11");
  if (networkFromBolt11(request) === undefined) {
    throw lnError("ln.invalid_invoice", "decodeInvoice: not a BOLT11 invoice (unknown prefix)", {});
  }
  return decodedInvoiceFromLnd(await decodePayReq(ctx, request, "decodeInvoice"), request);
}
