/**
 * Bitcoin network names as the Lightning port uses them, from LND's chain ids (GetInfo) and from
 * BOLT11 human-readable prefixes.
 */
import type { Network } from "./network.js";

export type LightningNetwork = "mainnet" | "testnet" | "signet" | "regtest" | "simnet";

/** ln-service's `chains` entries: the genesis block hash, byte-reversed, hex. */
const CHAIN_IDS: Readonly<Record<string, LightningNetwork>> = {
  "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000": "mainnet",
  "43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000": "testnet",
  // testnet4 shares the `tb` invoice prefix with testnet3
  "43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000": "testnet",
  f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000: "signet",
  "06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f": "regtest",
};

/** Longest prefixes first: `bcrt` before `bc`, `tbs` before `tb`. */
const BOLT11_PREFIXES: ReadonlyArray<readonly [string, LightningNetwork]> = [
  ["lnbcrt", "regtest"],
  ["lnbc", "mainnet"],
  ["lntbs", "signet"],
  ["lntb", "testnet"],
  ["lnsb", "simnet"],
];

/**
 * Maps an ln-service chain id to a network name.
 * @returns the network, or undefined for chains we do not know (e.g. litecoin)
 */
export function networkFromChainId(chainId: string): LightningNetwork | undefined {
  return CHAIN_IDS[chainId.toLowerCase()];
}

/**
 * Reads the network from a BOLT11 invoice's human-readable part.
 * @param bolt11 the invoice, any case, optionally with a `lightning:` scheme
 * @returns the network, or undefined when the prefix is not a known BOLT11 prefix
 */
export function networkFromBolt11(bolt11: string): LightningNetwork | undefined {
  const lower = bolt11
    .trim()
    .toLowerCase()
    .replace(/^lightning:/, "");
  const separator = lower.lastIndexOf("1");
  if (separator <= 0) return undefined;
  const hrp = lower.slice(0, separator);
  for (const [prefix, network] of BOLT11_PREFIXES) {
    // After the currency prefix comes only the optional amount: digits and a multiplier.
    if (hrp.startsWith(prefix) && /^([0-9]+[munp]?)?$/.test(hrp.slice(prefix.length))) return network;
  }
  return undefined;
}

/** The BOLT11 network an invoice must be for on each gateway network. */
export function lightningNetworkOf(network: Network): LightningNetwork {
  switch (network) {
    case "bitcoin":
      return "mainnet";
    case "testnet":
      return "testnet";
    case "signet":
    case "mutinynet":
      return "signet";
    case "regtest":
      return "regtest";
  }
}
