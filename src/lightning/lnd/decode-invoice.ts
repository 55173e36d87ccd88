/**
 * DecodePayReq (lnrpc.Lightning) through ln-service `decodePaymentRequest`. LND rejects invoices
 * of another network, so a decoded invoice is payable by this node as far as encoding goes.
 */
import { msatToSatsCeil, parseMsat } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import { networkFromBolt11 } from "../../domain/lightning-network.js";
import type { DecodedInvoice, RouteHint } from "../../swaps/ports/lightning.js";
import type { LnDecodedRequest, LnRouteHop, LndContext } from "./ln-service.js";
import { commonLnErrorCode, GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectBolt11 } from "./validate.js";

/** BOLT11's default `min_final_cltv_expiry` when the invoice omits the field. */
const DEFAULT_FINAL_CLTV_DELTA = 18;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("not for current active network")) return "ln.invoice_wrong_network";
  const common = commonLnErrorCode(info);
  if (common !== undefined) return common;
  // zpay32 decoding errors come back as plain (UNKNOWN) gRPC errors: checksum, bech32, fields
  if (info.name === "UnexpectedDecodePaymentRequestError" && info.grpcCode === GRPC.UNKNOWN) {
    return "ln.invalid_invoice";
  }
  if (info.status === 503 && info.name?.startsWith("Expected")) return "ln.unexpected_response";
  return undefined;
}

function dateOf(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw lnError("ln.unexpected_response", `decodeInvoice: malformed ${field}`);
  return date;
}

function routeHintOf(route: LnRouteHop[]): RouteHint {
  return route.map((hop, i) => ({
    publicKey: hop.public_key,
    channel: hop.channel,
    baseFeeMsat:
      hop.base_fee_mtokens === undefined ? undefined : parseMsat(hop.base_fee_mtokens, `routes[${i}]`),
    feeRatePpm: hop.fee_rate,
    cltvDelta: hop.cltv_delta,
  }));
}

/** Converts ln-service's decoded request into the port's DecodedInvoice. */
export function decodedInvoiceFromLn(res: LnDecodedRequest, bolt11: string): DecodedInvoice {
  const network = networkFromBolt11(bolt11);
  if (network === undefined) throw lnError("ln.invalid_invoice", "decodeInvoice: unknown BOLT11 prefix");
  const amountMsat = parseMsat(res.mtokens ?? "0", "mtokens");
  const createdAt = dateOf(res.created_at, "created_at");
  const expiresAt = dateOf(res.expires_at, "expires_at");
  return {
    paymentHash: res.id.toLowerCase(),
    destination: res.destination.toLowerCase(),
    amountMsat,
    amountSats: msatToSatsCeil(amountMsat),
    createdAt,
    expiresAt,
    expirySeconds: Math.round((expiresAt.getTime() - createdAt.getTime()) / 1000),
    isExpired: res.is_expired,
    cltvDelta: res.cltv_delta ?? DEFAULT_FINAL_CLTV_DELTA,
    network,
    description: res.description === undefined || res.description === "" ? undefined : res.description,
    paymentSecret: res.payment,
    features: (res.features ?? []).map((f) => f.bit),
    routeHints: (res.routes ?? []).map(routeHintOf),
  };
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
  let res;
  try {
    res = await ctx.ln.decodePaymentRequest({ lnd: ctx.lnd, request });
  } catch (err) {
    throw toLightningError(err, "decodeInvoice", mapError);
  }
  return decodedInvoiceFromLn(res, request);
}
