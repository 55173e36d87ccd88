import { describe, expect, it, vi } from "vitest";
import { probeRoute } from "../../../src/lightning/lnd/probe-route.js";
import type { ProbeRouteArgs } from "../../../src/swaps/ports/lightning.js";
import { caught, ctxOf, grpcError, LND, lnReject, PUBKEY } from "../../fakes/fake-ln-service.js";

describe("probeRoute", () => {
  const args: ProbeRouteArgs = {
    destination: PUBKEY,
    amountSats: 10_000n,
    finalCltvDelta: 40,
    maxFeeSats: 50n,
    maxTimeoutHeight: 700,
  };

  it("passes msat strings and returns the route's exact fee", async () => {
    const probeForRoute = vi
      .fn()
      .mockResolvedValue({ route: { fee_mtokens: "10001", hops: [{}, {}], timeout: 690 } });
    const res = await probeRoute(ctxOf({ probeForRoute }), {
      ...args,
      routeHints: [
        [
          {
            publicKey: PUBKEY,
            channel: undefined,
            baseFeeMsat: undefined,
            feeRatePpm: undefined,
            cltvDelta: undefined,
          },
        ],
      ],
    });
    expect(probeForRoute).toHaveBeenCalledWith({
      lnd: LND,
      destination: PUBKEY,
      mtokens: "10000000",
      cltv_delta: 40,
      max_fee_mtokens: "50000",
      max_timeout_height: 700,
      probe_timeout_ms: 60_000,
      routes: [[{ public_key: PUBKEY }]],
    });
    expect(res).toEqual({ found: true, feeMsat: 10_001n, feeSats: 11n, timeoutHeight: 690, hops: 2 });
  });

  const outcomes: {
    description: string;
    lndResult?: object;
    lndError?: unknown;
    expected: object | string;
  }[] = [
    { description: "no route", lndResult: {}, expected: { found: false } },
    {
      description: "path search error",
      lndError: lnReject(
        503,
        "UnexpectedErrorQueryingRoutes",
        grpcError(2, "unable to find a path to destination"),
      ),
      expected: { found: false },
    },
    {
      description: "timeout",
      lndError: lnReject(503, "ProbeForRouteTimedOut"),
      expected: "ln.probe_timeout",
    },
    {
      description: "CLTV limit too low",
      lndError: lnReject(400, "MaxTimeoutTooNearCurrentHeightToMakePayment"),
      expected: "ln.cltv_limit_too_low",
    },
    {
      description: "LND down",
      lndError: lnReject(503, "UnexpectedErrorQueryingRoutes", grpcError(14, "No connection established")),
      expected: "ln.unavailable",
    },
  ];
  it.each(outcomes)("$description", async ({ lndResult, lndError, expected }) => {
    const probeForRoute =
      lndError === undefined ? vi.fn().mockResolvedValue(lndResult) : vi.fn().mockRejectedValue(lndError);
    if (typeof expected === "string")
      expect((await caught(() => probeRoute(ctxOf({ probeForRoute }), args))).code).toBe(expected);
    else expect(await probeRoute(ctxOf({ probeForRoute }), args)).toEqual(expected);
  });

  const invalid: { description: string; args: Partial<Record<keyof ProbeRouteArgs, unknown>> }[] = [
    { description: "uncompressed key", args: { destination: "04" + "c".repeat(64) } },
    { description: "zero amount", args: { amountSats: 0n } },
    { description: "negative fee", args: { maxFeeSats: -5n } },
    { description: "zero timeout", args: { timeoutMs: 0 } },
  ];
  it.each(invalid)("rejects $description", async ({ args: bad }) => {
    const err = await caught(() => probeRoute(ctxOf({}), { ...args, ...bad } as ProbeRouteArgs));
    expect(err.code).toBe("ln.invalid_argument");
  });
});
