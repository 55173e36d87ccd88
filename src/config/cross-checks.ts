/**
 * Checks that involve several settings. Each returns problem strings; the loader reports them
 * together with the per-field problems. Checks that need arkd's GetInfo (dust, VTXO bounds,
 * exit delay) run at startup against the live server (domain/limits, domain/timeout-plans).
 */
import { quoteReverse } from "../domain/fees.js";
import { timeoutSettingsProblems } from "../domain/timeout-plans.js";
import type { GatewayConfig } from "./schema.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function limitProblems(config: GatewayConfig): string[] {
  const problems: string[] = [];
  for (const dir of ["submarine", "reverse"] as const) {
    const { minSats, maxSats } = config.limits[dir];
    if (minSats <= 0n) problems.push(`limits.${dir}.minSats must be positive`);
    if (minSats >= maxSats)
      problems.push(`limits.${dir}: minSats (${minSats}) must be below maxSats (${maxSats})`);
  }
  try {
    quoteReverse(config.limits.reverse.minSats, config.fees.reverse);
  } catch {
    problems.push(
      "fees.reverse: the fee of a minimum-size reverse swap leaves nothing to lock for the wallet",
    );
  }
  return problems;
}

function networkProblems(config: GatewayConfig): string[] {
  const problems: string[] = [];
  const arkdHost = hostOf(config.arkd.url);
  if (
    config.network === "bitcoin" &&
    config.arkd.url.startsWith("http://") &&
    !LOOPBACK_HOSTS.has(arkdHost)
  ) {
    problems.push(`GATEWAY_ARKD_URL: plaintext http to a remote arkd on mainnet (${arkdHost}); use https`);
  }
  if (config.network === "regtest" && /(^|\.)arkade\.(computer|money)$/.test(arkdHost)) {
    problems.push(`GATEWAY_ARKD_URL: ${arkdHost} is a public arkd, not a regtest one`);
  }
  if (config.timeouts.mode === "blocks" && config.network !== "regtest") {
    problems.push(
      `timeouts.mode: block-typed timelocks are only accepted by arkd on regtest, not ${config.network}`,
    );
  }
  return problems;
}

/** Every cross-field problem of an otherwise well-formed configuration. */
export function crossFieldProblems(config: GatewayConfig): string[] {
  return [...limitProblems(config), ...networkProblems(config), ...timeoutSettingsProblems(config.timeouts)];
}
