import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load-config.js";
import { isGatewayError, type GatewayError } from "../../../src/domain/errors.js";

const BASE_ENV = {
  HOME: "/home/op",
  GATEWAY_ARKD_URL: "http://127.0.0.1:27070",
  GATEWAY_LND_SOCKET: "127.0.0.1:20009",
  GATEWAY_LND_CERT_PATH: "/lnd/tls.cert",
  GATEWAY_LND_MACAROON_PATH: "/lnd/admin.macaroon",
};

const load = (env: Record<string, string>) => loadConfig({ env, argv: [] });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err, "config.invalid")) return (err as GatewayError).details?.problems as string[];
    throw err;
  }
  throw new Error("expected config.invalid");
}

describe("renewal settings", () => {
  it("defaults per network: regtest seconds, test networks 6 h, mainnet a day", () => {
    expect(load({ ...BASE_ENV, GATEWAY_NETWORK: "regtest" }).renewal).toEqual({
      enabled: true,
      offchainMarginSeconds: 60n,
      sweepMarginBlocks: 10n,
      sweepMarginSeconds: 3_600n,
      intervalSeconds: 10n,
    });
    expect(load({ ...BASE_ENV, GATEWAY_NETWORK: "signet" }).renewal).toMatchObject({
      offchainMarginSeconds: 21_600n,
      sweepMarginSeconds: 21_600n,
      intervalSeconds: 60n,
    });
    expect(load({ ...BASE_ENV, GATEWAY_NETWORK: "bitcoin" }).renewal).toMatchObject({
      offchainMarginSeconds: 86_400n,
      sweepMarginBlocks: 144n,
      sweepMarginSeconds: 86_400n,
    });
  });

  it("reads every setting from the environment", () => {
    const config = load({
      ...BASE_ENV,
      GATEWAY_NETWORK: "regtest",
      GATEWAY_RENEWAL_ENABLED: "false",
      GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS: "90",
      GATEWAY_RENEWAL_SWEEP_MARGIN_BLOCKS: "20",
      GATEWAY_RENEWAL_SWEEP_MARGIN_SECONDS: "7200",
      GATEWAY_RENEWAL_INTERVAL_SECONDS: "5",
    });
    expect(config.renewal).toEqual({
      enabled: false,
      offchainMarginSeconds: 90n,
      sweepMarginBlocks: 20n,
      sweepMarginSeconds: 7_200n,
      intervalSeconds: 5n,
    });
  });

  it("refuses bad values and a margin not longer than the interval", () => {
    const base = { ...BASE_ENV, GATEWAY_NETWORK: "regtest" };
    expect(problemsOf(() => load({ ...base, GATEWAY_RENEWAL_ENABLED: "yes" })).join()).toContain(
      "GATEWAY_RENEWAL_ENABLED",
    );
    expect(problemsOf(() => load({ ...base, GATEWAY_RENEWAL_INTERVAL_SECONDS: "0" })).join()).toContain(
      "GATEWAY_RENEWAL_INTERVAL_SECONDS",
    );
    expect(
      problemsOf(() =>
        load({
          ...base,
          GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS: "10",
          GATEWAY_RENEWAL_INTERVAL_SECONDS: "10",
        }),
      ).join(),
    ).toContain("renewal.offchainMarginSeconds (10) must exceed renewal.intervalSeconds (10)");
    // disabled: the margins are not checked against each other
    expect(
      load({
        ...base,
        GATEWAY_RENEWAL_ENABLED: "false",
        GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS: "10",
        GATEWAY_RENEWAL_INTERVAL_SECONDS: "10",
      }).renewal?.enabled,
    ).toBe(false);
  });
});
