/** Reading the `renewal` section (the VTXO renewal scheduler); defaults per network. */
import type { ConfigReader } from "./field-reader.js";
import { integer, oneOf } from "./parsers.js";
import { renewalDefaults } from "./renewal-defaults.js";
import type { Network, RenewalConfig } from "./schema.js";

const seconds = integer(0n, 365n * 86_400n);

export function readRenewal(r: ConfigReader, network: Network | undefined): RenewalConfig {
  const d = renewalDefaults(network ?? "regtest");
  const enabled = r.withDefault(
    { path: "renewal.enabled", env: "GATEWAY_RENEWAL_ENABLED", parse: oneOf(["true", "false"] as const) },
    d.enabled ? "true" : "false",
  );
  const config: RenewalConfig = {
    enabled: enabled === "true",
    offchainMarginSeconds: r.withDefault(
      {
        path: "renewal.offchainMarginSeconds",
        env: "GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS",
        parse: seconds,
      },
      d.offchainMarginSeconds,
    ),
    sweepMarginBlocks: r.withDefault(
      {
        path: "renewal.sweepMarginBlocks",
        env: "GATEWAY_RENEWAL_SWEEP_MARGIN_BLOCKS",
        parse: integer(0n, 10_000n),
      },
      d.sweepMarginBlocks,
    ),
    sweepMarginSeconds: r.withDefault(
      { path: "renewal.sweepMarginSeconds", env: "GATEWAY_RENEWAL_SWEEP_MARGIN_SECONDS", parse: seconds },
      d.sweepMarginSeconds,
    ),
    intervalSeconds: r.withDefault(
      {
        path: "renewal.intervalSeconds",
        env: "GATEWAY_RENEWAL_INTERVAL_SECONDS",
        parse: integer(1n, 3_600n),
      },
      d.intervalSeconds,
    ),
  };
  // a coin due at a margin shorter than one interval could pass its deadline between two looks
  if (config.enabled && config.offchainMarginSeconds <= config.intervalSeconds)
    r.problem(
      `renewal.offchainMarginSeconds (${config.offchainMarginSeconds}) must exceed renewal.intervalSeconds (${config.intervalSeconds})`,
    );
  return config;
}
