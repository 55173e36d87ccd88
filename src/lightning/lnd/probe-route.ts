/**
 * Route probing on our gRPC client, as ln-service's `probeForRoute` did it: QueryRoutes for a
 * route within the fee and CLTV limits, then SendToRouteV2 along it with a random payment hash.
 * The destination refusing the unknown hash proves the route carries the amount now, without
 * paying anything. A temporary channel failure on the way excludes that pair and the next route
 * is tried (LND's mission control learns the other failures); no route left is `found: false`.
 */
import { randomBytes } from "node:crypto";
import { msatToSatsCeil, parseMsat, satsToMsatString } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { ProbeResult, ProbeRouteArgs, RouteHint } from "../../swaps/ports/lightning.js";
import { isCompressedPubkeyHex } from "../../lib/hex.js";
import { numberFromChannel } from "./channel-id.js";
import type { LndContext } from "./context.js";
import { blockHeightOf } from "./get-info.js";
import { GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import type { LndHtlcAttempt, LndRoute } from "./payment-from-ln.js";
import { expectInt, expectPubkey, expectSats } from "./validate.js";

export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;
/** ln-service's final CLTV delta when none is given, and the blocks it added to it. */
const DEFAULT_FINAL_CLTV_DELTA = 40;
const FINAL_CLTV_BUFFER = 6;
/** No fee limit: QueryRoutes' own default would be a share of the amount. */
const UNLIMITED_FEE_MSAT = "9223372036854775807";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (/cltv limit \d+ should be greater than \d+/.test(details)) return "ln.cltv_limit_too_low";
  if (details.includes("unable to find a path")) return "ln.no_route";
  if (info.grpcCode === GRPC.DEADLINE_EXCEEDED) return "ln.probe_timeout";
  return undefined;
}

/** The port's hint paths as LND's route hints (the inverse of decodeInvoice's). */
function hintsToLnd(hints: readonly RouteHint[]): object[] {
  return hints.map((hint, r) => ({
    hop_hints: hint.slice(1).map((hop, i) => {
      const at = `routeHints[${r}][${i + 1}]`;
      if (hop.channel === undefined) {
        throw lnError("ln.invalid_argument", `${at}.channel: a hint edge needs its channel`, { field: at });
      }
      return {
        node_id: expectPubkey(hint[i]!.publicKey, `routeHints[${r}][${i}].publicKey`),
        chan_id: numberFromChannel(hop.channel, `${at}.channel`),
        fee_base_msat: Number(hop.baseFeeMsat ?? 0n),
        fee_proportional_millionths: hop.feeRatePpm ?? 0,
        cltv_expiry_delta: hop.cltvDelta ?? 0,
      };
    }),
  }));
}

function routeOfQuery(res: { routes?: unknown }): LndRoute | undefined {
  if (!Array.isArray(res.routes)) {
    throw lnError("ln.unexpected_response", "probeRoute: QueryRoutes answered without routes");
  }
  const route = res.routes[0] as LndRoute | undefined;
  if (route !== undefined && (!Array.isArray(route.hops) || route.hops.length === 0)) {
    throw lnError("ln.unexpected_response", "probeRoute: QueryRoutes answered a route without hops");
  }
  return route;
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
  const routeHints =
    args.routeHints === undefined || args.routeHints.length === 0 ? undefined : hintsToLnd(args.routeHints);
  const deadline = Date.now() + timeoutMs;
  const remaining = () => {
    const ms = deadline - Date.now();
    if (ms <= 0)
      throw lnError("ln.probe_timeout", `probeRoute: no answer within ${timeoutMs} ms`, { timeoutMs });
    return ms;
  };

  try {
    let cltvLimit: number | undefined;
    if (maxHeight !== undefined) {
      const height = blockHeightOf(
        await ctx.rpc.unary<{ block_height?: unknown }>("lightning", "GetInfo", {}, remaining()),
        "probeRoute",
      );
      cltvLimit = maxHeight - height;
      if (cltvLimit <= 0) {
        throw lnError(
          "ln.cltv_limit_too_low",
          `probeRoute: CLTV limit ${maxHeight} is not above height ${height}`,
          {
            maxTimeoutHeight: maxHeight,
            height,
          },
        );
      }
    }
    const ignoredPairs: { from: Buffer; to: Buffer }[] = [];
    for (;;) {
      const query = await ctx.rpc.unary<{ routes?: unknown }>(
        "lightning",
        "QueryRoutes",
        {
          pub_key: destination,
          amt_msat: satsToMsatString(amountSats),
          final_cltv_delta: (finalCltv ?? DEFAULT_FINAL_CLTV_DELTA) + FINAL_CLTV_BUFFER,
          fee_limit: { fixed_msat: maxFee === undefined ? UNLIMITED_FEE_MSAT : satsToMsatString(maxFee) },
          use_mission_control: true,
          ignored_pairs: ignoredPairs,
          ...(cltvLimit === undefined ? {} : { cltv_limit: cltvLimit }),
          ...(routeHints === undefined ? {} : { route_hints: routeHints }),
        },
        remaining(),
      );
      const route = routeOfQuery(query);
      if (route === undefined) return { found: false };
      const attempt = await ctx.rpc.unary<LndHtlcAttempt>(
        "router",
        "SendToRouteV2",
        { payment_hash: randomBytes(32), route },
        remaining(),
      );
      const index = attempt.failure?.failure_source_index ?? 0;
      // the destination itself refused the unknown hash: the route carried the amount
      if (attempt.status === "SUCCEEDED" || (attempt.status === "FAILED" && index === route.hops.length)) {
        return foundOf(route);
      }
      if (attempt.status !== "FAILED") {
        throw lnError(
          "ln.unexpected_response",
          `probeRoute: SendToRouteV2 answered status ${String(attempt.status)}`,
        );
      }
      const from = route.hops[index - 1]?.pub_key;
      const to = route.hops[index]?.pub_key;
      if (
        attempt.failure?.code === "TEMPORARY_CHANNEL_FAILURE" &&
        isCompressedPubkeyHex(from) &&
        isCompressedPubkeyHex(to)
      ) {
        ignoredPairs.push({ from: Buffer.from(from, "hex"), to: Buffer.from(to, "hex") });
      }
    }
  } catch (err) {
    const mapped = toLightningError(err, "probeRoute", mapError);
    if (mapped.code === "ln.no_route") return { found: false };
    throw mapped;
  }
}

function foundOf(route: LndRoute): ProbeResult {
  if (!Number.isSafeInteger(route.total_time_lock)) {
    throw lnError("ln.unexpected_response", "probeRoute: malformed route timeout");
  }
  const feeMsat = parseMsat(route.total_fees_msat, "route.total_fees_msat");
  return {
    found: true,
    feeMsat,
    feeSats: msatToSatsCeil(feeMsat),
    timeoutHeight: route.total_time_lock,
    hops: route.hops.length,
  };
}
