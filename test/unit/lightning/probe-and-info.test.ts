import { describe, expect, it } from "vitest";
import { probeRoute } from "../../../src/lightning/lnd/probe-route.js";
import type { ProbeRouteArgs } from "../../../src/swaps/ports/lightning.js";
import { caught, ctxOf, grpcError, PUBKEY } from "../../fakes/lnd-context.js";
import type { FakeLndRpc, FakeLndRpcHandlers } from "../../fakes/fake-lnd-rpc.js";

/** A context over a fake gRPC client, and the requests it received. */
function rpcCtx(handlers: FakeLndRpcHandlers) {
  const ctx = ctxOf(handlers);
  return { ctx, calls: (ctx.rpc as FakeLndRpc).calls };
}

describe("probeRoute", () => {
  const args: ProbeRouteArgs = {
    destination: PUBKEY,
    amountSats: 10_000n,
    finalCltvDelta: 40,
    maxFeeSats: 50n,
    maxTimeoutHeight: 700,
  };
  const CAROL = "03" + "e".repeat(64);
  /** QueryRoutes' route alice → carol → PUBKEY. */
  const route = {
    total_time_lock: 690,
    total_fees_msat: "10001",
    total_amt_msat: "10010001",
    hops: [{ pub_key: CAROL }, { pub_key: PUBKEY }],
  };
  /** SendToRouteV2's answer: the HTLC failed at hop `index` (2 = the destination) with `code`. */
  const failedAt = (index: number, code: string) => ({
    attempt_id: "1",
    status: "FAILED",
    route,
    failure: { code, failure_source_index: index },
  });
  function probeCtx(
    sendToRoute: (request: Record<string, unknown>) => unknown,
    routes: unknown[][] = [[route]],
  ) {
    let query = 0;
    const { ctx, calls } = rpcCtx({
      unary: {
        "lightning.GetInfo": () => ({ block_height: 600 }),
        "lightning.QueryRoutes": () => ({ routes: routes[Math.min(query++, routes.length - 1)] }),
        "router.SendToRouteV2": sendToRoute,
      },
    });
    return { ctx, calls };
  }

  it("queries a route within the limits, sends a random hash along it and returns the route's exact fee", async () => {
    const { ctx, calls } = probeCtx(() => failedAt(2, "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS"));
    const res = await probeRoute(ctx, {
      ...args,
      routeHints: [
        [
          {
            publicKey: CAROL,
            channel: undefined,
            baseFeeMsat: undefined,
            feeRatePpm: undefined,
            cltvDelta: undefined,
          },
          { publicKey: PUBKEY, channel: "100x1x0", baseFeeMsat: 1000n, feeRatePpm: 1, cltvDelta: 40 },
        ],
      ],
    });
    expect(res).toEqual({ found: true, feeMsat: 10_001n, feeSats: 11n, timeoutHeight: 690, hops: 2 });
    expect(calls.map((c) => c.key)).toEqual([
      "lightning.GetInfo",
      "lightning.QueryRoutes",
      "router.SendToRouteV2",
    ]);
    expect(calls[1]?.request).toEqual({
      pub_key: PUBKEY,
      amt_msat: "10000000",
      // ln-service's 6 blocks of margin on the final delta
      final_cltv_delta: 46,
      fee_limit: { fixed_msat: "50000" },
      // the CLTV limit as a delta from height 600
      cltv_limit: 100,
      use_mission_control: true,
      ignored_pairs: [],
      route_hints: [
        {
          hop_hints: [
            {
              node_id: CAROL,
              chan_id: ((100n << 40n) | (1n << 16n)).toString(),
              fee_base_msat: 1000,
              fee_proportional_millionths: 1,
              cltv_expiry_delta: 40,
            },
          ],
        },
      ],
    });
    const sent = calls[2]?.request as { payment_hash: Buffer; route: unknown };
    expect(sent.route).toBe(route);
    expect(Buffer.isBuffer(sent.payment_hash) && sent.payment_hash.length).toBe(32);
  });

  it("uses a fresh hash for every attempt, and skips a pair that failed temporarily", async () => {
    let sends = 0;
    const { ctx, calls } = probeCtx(() =>
      ++sends === 1
        ? failedAt(1, "TEMPORARY_CHANNEL_FAILURE")
        : failedAt(2, "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS"),
    );
    expect(await probeRoute(ctx, args)).toMatchObject({ found: true, hops: 2 });
    const queries = calls.filter((c) => c.key === "lightning.QueryRoutes");
    // carol (hop 1) failed forwarding to the destination: that pair is excluded from then on
    expect(queries.map((q) => q.request.ignored_pairs)).toEqual([
      [{ from: Buffer.from(CAROL, "hex"), to: Buffer.from(PUBKEY, "hex") }],
      [{ from: Buffer.from(CAROL, "hex"), to: Buffer.from(PUBKEY, "hex") }],
    ]);
    const hashes = calls
      .filter((c) => c.key === "router.SendToRouteV2")
      .map((c) => (c.request.payment_hash as Buffer).toString("hex"));
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it("gives up when no route is left after failed attempts", async () => {
    const { ctx } = probeCtx(() => failedAt(1, "TEMPORARY_CHANNEL_FAILURE"), [[route], []]);
    expect(await probeRoute(ctx, args)).toEqual({ found: false });
  });

  it("asks for no height without a CLTV limit, and sets no fee limit without a budget", async () => {
    const { ctx, calls } = probeCtx(() => failedAt(2, "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS"));
    await probeRoute(ctx, { destination: PUBKEY, amountSats: 1n });
    expect(calls.map((c) => c.key)).toEqual(["lightning.QueryRoutes", "router.SendToRouteV2"]);
    expect(calls[0]?.request).toMatchObject({
      final_cltv_delta: 46,
      fee_limit: { fixed_msat: "9223372036854775807" },
    });
    expect(calls[0]?.request).not.toHaveProperty("cltv_limit");
  });

  const outcomes: {
    description: string;
    routes?: unknown[];
    lndError?: unknown;
    expected: object | string;
  }[] = [
    { description: "no route", routes: [], expected: { found: false } },
    {
      description: "path search error",
      lndError: grpcError(2, "unable to find a path to destination"),
      expected: { found: false },
    },
    {
      description: "timeout",
      lndError: grpcError(4, "Deadline exceeded"),
      expected: "ln.probe_timeout",
    },
    {
      description: "CLTV limit too low",
      lndError: grpcError(2, "cltv limit 40 should be greater than 46"),
      expected: "ln.cltv_limit_too_low",
    },
    {
      description: "LND down",
      lndError: grpcError(14, "No connection established"),
      expected: "ln.unavailable",
    },
  ];
  it.each(outcomes)("$description", async ({ routes, lndError, expected }) => {
    const { ctx } = rpcCtx({
      unary: {
        "lightning.GetInfo": () => ({ block_height: 600 }),
        "lightning.QueryRoutes": () => {
          if (lndError !== undefined) throw lndError;
          return { routes };
        },
      },
    });
    if (typeof expected === "string") expect((await caught(() => probeRoute(ctx, args))).code).toBe(expected);
    else expect(await probeRoute(ctx, args)).toEqual(expected);
  });

  it("refuses a CLTV limit not above the current height without querying routes", async () => {
    const { ctx, calls } = probeCtx(() => failedAt(2, "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS"));
    expect((await caught(() => probeRoute(ctx, { ...args, maxTimeoutHeight: 600 }))).code).toBe(
      "ln.cltv_limit_too_low",
    );
    expect(calls.map((c) => c.key)).toEqual(["lightning.GetInfo"]);
  });

  it("times out when the attempts outlast the budget", async () => {
    // every attempt fails at carol for a reason mission control would learn, the route comes back
    const { ctx } = probeCtx(
      () => new Promise((resolve) => setTimeout(() => resolve(failedAt(1, "FEE_INSUFFICIENT")), 5)),
    );
    expect((await caught(() => probeRoute(ctx, { ...args, timeoutMs: 30 }))).code).toBe("ln.probe_timeout");
  });

  const invalid: { description: string; args: Partial<Record<keyof ProbeRouteArgs, unknown>> }[] = [
    { description: "uncompressed key", args: { destination: "04" + "c".repeat(64) } },
    { description: "zero amount", args: { amountSats: 0n } },
    { description: "negative fee", args: { maxFeeSats: -5n } },
    { description: "zero timeout", args: { timeoutMs: 0 } },
    {
      description: "a hint edge without its channel",
      args: {
        routeHints: [
          [
            {
              publicKey: PUBKEY,
              channel: undefined,
              baseFeeMsat: undefined,
              feeRatePpm: undefined,
              cltvDelta: undefined,
            },
            { publicKey: PUBKEY, channel: undefined, baseFeeMsat: 1n, feeRatePpm: 1, cltvDelta: 40 },
          ],
        ],
      },
    },
    {
      description: "a hint node that is no public key",
      args: {
        routeHints: [
          [
            {
              publicKey: "xyz",
              channel: undefined,
              baseFeeMsat: undefined,
              feeRatePpm: undefined,
              cltvDelta: undefined,
            },
            { publicKey: PUBKEY, channel: "100x1x0", baseFeeMsat: 1n, feeRatePpm: 1, cltvDelta: 40 },
          ],
        ],
      },
    },
  ];
  it.each(invalid)("rejects $description", async ({ args: bad }) => {
    const { ctx, calls } = rpcCtx({});
    const err = await caught(() => probeRoute(ctx, { ...args, ...bad } as ProbeRouteArgs));
    expect(err.code).toBe("ln.invalid_argument");
    expect(calls).toEqual([]);
  });
});
