/**
 * Route probing (routerrpc QueryRoutes + SendToRouteV2 with a random hash) through ln-service
 * `probeForRoute`: finds a route that would carry the amount now, within fee and CLTV limits,
 * without paying anything.
 */
import { msatToSatsCeil, parseMsat, satsToMsatString } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { ProbeResult, ProbeRouteArgs, RouteHint } from "../../swaps/ports/lightning.js";
import type { LnRouteHop, LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectInt, expectPubkey, expectSats } from "./validate.js";

export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  if (info.name === "ProbeForRouteTimedOut" || info.name === "ProbeTimeout") return "ln.probe_timeout";
  if (info.name === "MaxTimeoutTooNearCurrentHeightToMakePayment") return "ln.cltv_limit_too_low";
  if (info.name === "ExpectedAuthenticatedLndToProbeForRoute") return "ln.missing_subserver";
  // QueryRoutes answers "unable to find a path to destination" as an error on some versions
  if ((info.details ?? "").includes("unable to find a path")) return "ln.no_route";
  return undefined;
}

function hintsToLn(hints: readonly RouteHint[]): LnRouteHop[][] {
  return hints.map((hint) =>
    hint.map((hop) => ({
      public_key: hop.publicKey,
      ...(hop.channel === undefined ? {} : { channel: hop.channel }),
      ...(hop.baseFeeMsat === undefined ? {} : { base_fee_mtokens: hop.baseFeeMsat.toString() }),
      ...(hop.feeRatePpm === undefined ? {} : { fee_rate: hop.feeRatePpm }),
      ...(hop.cltvDelta === undefined ? {} : { cltv_delta: hop.cltvDelta }),
    })),
  );
}

/**
 * @param args.destination payee public key, hex
 * @param args.amountSats amount to carry, sats ≥ 1
 * @param args.finalCltvDelta the payee's final CLTV delta in blocks
 * @param args.maxFeeSats fee budget in sats
 * @param args.maxTimeoutHeight CLTV limit, absolute height
 * @param args.routeHints private route hints (from decodeInvoice)
 * @param args.timeoutMs give up after this long (default 60 s)
 * @returns `{found: false}` when no route carried the probe; else the route's fee (msat exact,
 *   sats rounded up), timeout height and hop count
 * @throws GatewayError `ln.invalid_argument`, `ln.probe_timeout`, `ln.cltv_limit_too_low`,
 *   `ln.unavailable`, `ln.missing_subserver`, `ln.permission_denied`, `ln.unexpected`
 */
export async function probeRoute(ctx: LndContext, args: ProbeRouteArgs): Promise<ProbeResult> {
  const destination = expectPubkey(args.destination, "destination");
  const amountSats = expectSats(args.amountSats, "amountSats", 1n);
  const finalCltv =
    args.finalCltvDelta === undefined ? undefined : expectInt(args.finalCltvDelta, "finalCltvDelta", 1, 2016);
  const maxFee = args.maxFeeSats === undefined ? undefined : expectSats(args.maxFeeSats, "maxFeeSats", 0n);
  const maxHeight =
    args.maxTimeoutHeight === undefined
      ? undefined
      : expectInt(args.maxTimeoutHeight, "maxTimeoutHeight", 1, 499_999_999);
  const timeoutMs = expectInt(args.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, "timeoutMs", 1, 600_000);
  const routes =
    args.routeHints === undefined || args.routeHints.length === 0 ? undefined : hintsToLn(args.routeHints);

  let res;
  try {
    res = await ctx.ln.probeForRoute({
      lnd: ctx.lnd,
      destination,
      mtokens: satsToMsatString(amountSats),
      probe_timeout_ms: timeoutMs,
      ...(finalCltv === undefined ? {} : { cltv_delta: finalCltv }),
      ...(maxFee === undefined ? {} : { max_fee_mtokens: satsToMsatString(maxFee) }),
      ...(maxHeight === undefined ? {} : { max_timeout_height: maxHeight }),
      ...(routes === undefined ? {} : { routes }),
    });
  } catch (err) {
    const mapped = toLightningError(err, "probeRoute", mapError);
    if (mapped.code === "ln.no_route") return { found: false };
    throw mapped;
  }
  const route = res.route;
  if (route === undefined) return { found: false };
  if (!Number.isSafeInteger(route.timeout)) {
    throw lnError("ln.unexpected_response", "probeRoute: malformed route timeout");
  }
  const feeMsat = parseMsat(route.fee_mtokens, "route.fee_mtokens");
  return {
    found: true,
    feeMsat,
    feeSats: msatToSatsCeil(feeMsat),
    timeoutHeight: route.timeout,
    hops: Array.isArray(route.hops) ? route.hops.length : 0,
  };
}
