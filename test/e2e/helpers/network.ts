/**
 * The regtest network the e2e global setup brought up: where its descriptor is, and the parsed
 * descriptor. Tests call `loadNetwork()` in `beforeAll`.
 */
import { inject } from "vitest";
import { readNetworkFile, type NetworkFile } from "../../../src/regtest/network-file.js";
import { networkPaths, type NetworkPaths } from "../../../src/regtest/paths.js";
import "./provided-context.js";

/** Paths of the network under test: from the global setup, else REGTEST_DATADIR / `.regtest`. */
export function testNetworkPaths(): NetworkPaths {
  const provided = safeInject("regtestDataDir");
  return networkPaths(provided);
}

/** The parsed network.json of the network under test. */
export function loadNetwork(): NetworkFile {
  return readNetworkFile(safeInject("regtestNetworkFile") ?? testNetworkPaths().networkFile);
}

function safeInject(key: "regtestNetworkFile" | "regtestDataDir"): string | undefined {
  try {
    const value = inject(key);
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}
