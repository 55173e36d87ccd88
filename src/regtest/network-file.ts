/**
 * The one JSON file `npm run regtest -- up` writes (`<dataDir>/network.json`): every endpoint,
 * credential path and key the tests and the gateway need. Readers import the type and `readNetworkFile`.
 */
import { readFileSync } from "node:fs";
import type { LndNodeName } from "./settings.js";

export interface LndNodeInfo {
  readonly name: LndNodeName;
  /** host:port of the gRPC interface (what ln-service's `socket` takes). */
  readonly grpcSocket: string;
  readonly restUrl: string;
  readonly p2pAddress: string;
  readonly tlsCertPath: string;
  readonly adminMacaroonPath: string;
  readonly identityPubkey: string;
  readonly dataDir: string;
}

export interface NetworkFile {
  readonly version: 1;
  readonly dataDir: string;
  readonly btcd: {
    readonly rpcHost: string;
    readonly rpcUser: string;
    readonly rpcPass: string;
    readonly rpcCertPath: string;
    readonly p2pAddress: string;
    readonly miningAddress: string;
  };
  readonly nbxplorer: { readonly url: string };
  readonly ark: {
    /** gRPC and REST share this address (h2c, no TLS). */
    readonly arkdUrl: string;
    readonly arkdAdminUrl: string;
    readonly arkdWalletAddr: string;
    readonly signerPubkey: string;
    readonly network: string;
  };
  readonly lnd: Readonly<Record<LndNodeName, LndNodeInfo>>;
  readonly postgres: { readonly url: string; readonly dataDir: string };
  /**
   * Present only when `up` ran without the Ark stack (`--skip-ark`, or arkd could not be built):
   * why. `ark` and `nbxplorer` are then `null` at runtime.
   */
  readonly arkSkipped?: string;
}

export function readNetworkFile(path: string): NetworkFile {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as NetworkFile;
  if (parsed.version !== 1)
    throw new Error(`${path}: unsupported network file version ${String(parsed.version)}`);
  return parsed;
}
