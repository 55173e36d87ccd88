/**
 * NBXplorer derivation schemes (`<xpub>[-[taproot|legacy|p2sh]]`) → scripts and addresses.
 * arkd-wallet tracks BIP86 accounts as `<tpub>-[taproot]`; the other suffixes are parsed too
 * because they cost nothing and make a wrong scheme fail loudly instead of deriving nonsense.
 */
import { HDKey } from "@scure/bip32";
import { hex } from "@scure/base";
import { Address, OutScript, p2pkh, p2sh, p2tr, p2wpkh } from "@scure/btc-signer";
import type { Feature } from "./types.js";

/** Bitcoin network parameters as @scure/btc-signer takes them, plus BIP32 versions. */
export interface ChainNetwork {
  readonly name: "regtest" | "testnet" | "mainnet";
  readonly bech32: string;
  readonly pubKeyHash: number;
  readonly scriptHash: number;
  readonly wif: number;
  readonly bip32: { readonly public: number; readonly private: number };
  /** NBXplorer's `networkType` in /status. */
  readonly nbxNetworkType: string;
}

export const REGTEST: ChainNetwork = {
  name: "regtest",
  bech32: "bcrt",
  pubKeyHash: 0x6f,
  scriptHash: 0xc4,
  wif: 0xef,
  bip32: { public: 0x043587cf, private: 0x04358394 },
  nbxNetworkType: "Regtest",
};

export type ScriptKind = "taproot" | "segwit" | "legacy" | "p2sh-segwit";

export interface DerivationScheme {
  /** The scheme string exactly as the client sent it (the tracking key). */
  readonly scheme: string;
  readonly kind: ScriptKind;
  readonly accountKey: HDKey;
  /** Branch keys (account/0, account/1), derived once: each address then costs one derivation. */
  readonly branches: Map<number, HDKey>;
}

export interface DerivedScript {
  readonly feature: Feature;
  readonly index: number;
  /** `0/<index>` for Deposit, `1/<index>` for Change. */
  readonly keyPath: string;
  readonly scriptPubKey: string;
  readonly address: string;
}

/** Feature → the first path element below the account key. */
export const FEATURE_BRANCH: Readonly<Record<Feature, number>> = { Deposit: 0, Change: 1 };

/**
 * Parses an NBXplorer derivation scheme.
 * @throws {Error} on an unknown suffix or an extended key that is not a public key of `network`.
 */
export function parseDerivationScheme(scheme: string, network: ChainNetwork = REGTEST): DerivationScheme {
  const match = /^([1-9A-HJ-NP-Za-km-z]{100,120})(?:-\[(taproot|legacy|p2sh)\])?$/.exec(scheme);
  if (!match?.[1]) throw new Error(`unsupported derivation scheme: ${scheme}`);
  const suffix = match[2];
  const kind: ScriptKind =
    suffix === "taproot"
      ? "taproot"
      : suffix === "legacy"
        ? "legacy"
        : suffix === "p2sh"
          ? "p2sh-segwit"
          : "segwit";
  let accountKey: HDKey;
  try {
    accountKey = HDKey.fromExtendedKey(match[1], network.bip32);
  } catch (err) {
    throw new Error(`derivation scheme ${scheme}: bad extended key for ${network.name}: ${String(err)}`);
  }
  if (accountKey.privateKey) throw new Error(`derivation scheme must hold a public key: ${scheme}`);
  return { scheme, kind, accountKey, branches: new Map() };
}

/**
 * The script and address at `<branch>/<index>` of the scheme (BIP86 key-path-only output for
 * taproot: output key = internal key tweaked with an empty script tree).
 * @throws {RangeError} on a negative or hardened index.
 */
export function deriveScript(
  scheme: DerivationScheme,
  feature: Feature,
  index: number,
  network: ChainNetwork = REGTEST,
): DerivedScript {
  if (!Number.isInteger(index) || index < 0 || index >= 0x80000000)
    throw new RangeError(`bad index ${index}`);
  const branch = FEATURE_BRANCH[feature];
  let branchKey = scheme.branches.get(branch);
  if (!branchKey) {
    branchKey = scheme.accountKey.deriveChild(branch);
    scheme.branches.set(branch, branchKey);
  }
  const child = branchKey.deriveChild(index);
  const pubkey = child.publicKey;
  if (!pubkey) throw new Error("derivation produced no public key");
  const net = toBtcSignerNetwork(network);
  let payment: { script: Uint8Array; address?: string };
  switch (scheme.kind) {
    case "taproot":
      payment = p2tr(pubkey.slice(1), undefined, net);
      break;
    case "segwit":
      payment = p2wpkh(pubkey, net);
      break;
    case "legacy":
      payment = p2pkh(pubkey, net);
      break;
    case "p2sh-segwit":
      payment = p2sh(p2wpkh(pubkey, net), net);
      break;
  }
  if (!payment.address) throw new Error("derivation produced no address");
  return {
    feature,
    index,
    keyPath: `${String(branch)}/${String(index)}`,
    scriptPubKey: hex.encode(payment.script),
    address: payment.address,
  };
}

/**
 * scriptPubKey (hex) of an address on `network`.
 * @throws {Error} when the address does not belong to `network` or cannot be decoded.
 */
export function addressToScript(address: string, network: ChainNetwork = REGTEST): string {
  const decoded = Address(toBtcSignerNetwork(network)).decode(address);
  return hex.encode(OutScript.encode(decoded));
}

/** The address of a scriptPubKey (hex), or undefined for scripts without one (OP_RETURN, P2A…). */
export function scriptToAddress(scriptHex: string, network: ChainNetwork = REGTEST): string | undefined {
  try {
    const decoded = OutScript.decode(hex.decode(scriptHex));
    return Address(toBtcSignerNetwork(network)).encode(decoded);
  } catch {
    return undefined;
  }
}

function toBtcSignerNetwork(network: ChainNetwork): {
  bech32: string;
  pubKeyHash: number;
  scriptHash: number;
  wif: number;
} {
  return {
    bech32: network.bech32,
    pubKeyHash: network.pubKeyHash,
    scriptHash: network.scriptHash,
    wif: network.wif,
  };
}
