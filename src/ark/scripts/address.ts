/**
 * Ark addresses: bech32m (no 90-character limit), HRP `ark` on bitcoin mainnet and `tark` on
 * every other network, payload `version(0x00) || server x-only key(32) || VTXO taproot output
 * key(32)`.
 */
import { bech32m } from "@scure/base";
import { concatBytes, isBytes, isValidXOnly } from "./bytes.js";
import { scriptError } from "./errors.js";

export type ArkHrp = "ark" | "tark";

export interface ArkAddress {
  readonly hrp: ArkHrp;
  readonly version: 0;
  /** Server signer key, x-only (32 bytes). */
  readonly serverKey: Uint8Array;
  /** Taproot output key of the VTXO script, x-only (32 bytes). */
  readonly vtxoOutputKey: Uint8Array;
  /** `OP_1 <vtxoOutputKey>`, the script a VTXO to this address carries. */
  readonly pkScript: Uint8Array;
}

/** Networks as arkd's GetInfo names them. */
export const ARK_NETWORKS = ["bitcoin", "testnet", "testnet4", "signet", "mutinynet", "regtest"] as const;
export type ArkNetwork = (typeof ARK_NETWORKS)[number];

const ADDRESS_LIMIT = 1023;
const PAYLOAD_BYTES = 65;

/**
 * HRP of an Ark network.
 * @param network as arkd reports it (`bitcoin`, `testnet`, `testnet4`, `signet`, `mutinynet`, `regtest`)
 * @throws GatewayError `address.unknown_network`; an unknown name is refused rather than mapped
 *   to `tark`, so a typo can never produce a mainnet/testnet mix-up
 */
export function arkHrp(network: string): ArkHrp {
  if (!(ARK_NETWORKS as readonly string[]).includes(network)) {
    throw scriptError("address.unknown_network", `unknown Ark network ${JSON.stringify(network)}`, {
      network: String(network),
    });
  }
  return network === "bitcoin" ? "ark" : "tark";
}

/**
 * Encodes an Ark address.
 * @param args.network arkd network name (decides the HRP)
 * @param args.serverKey server signer key: 32-byte x-only or 33-byte compressed
 * @param args.vtxoOutputKey 32-byte x-only taproot output key of the VTXO script
 * @throws GatewayError `address.unknown_network`, `address.invalid_key`
 */
export function encodeArkAddress(args: {
  network: string;
  serverKey: Uint8Array;
  vtxoOutputKey: Uint8Array;
}): string {
  const hrp = arkHrp(args?.network);
  const serverKey = xOnly(args.serverKey, "serverKey");
  const outputKey = xOnly(args.vtxoOutputKey, "vtxoOutputKey");
  if (outputKey.length !== args.vtxoOutputKey.length) {
    throw scriptError("address.invalid_key", "vtxoOutputKey must be a 32-byte x-only key", {
      field: "vtxoOutputKey",
    });
  }
  const payload = concatBytes(Uint8Array.of(0), serverKey, outputKey);
  return bech32m.encode(hrp, bech32m.toWords(payload), ADDRESS_LIMIT);
}

/**
 * Decodes and checks an Ark address.
 * @param address bech32m string
 * @param network when given, the address's HRP must be this network's
 * @throws GatewayError `address.invalid_encoding` (not bech32m, bad checksum, mixed case),
 *   `address.invalid_hrp`, `address.invalid_length`, `address.invalid_version`,
 *   `address.invalid_key`, `address.network_mismatch`, `address.unknown_network`
 */
export function decodeArkAddress(address: string, network?: string): ArkAddress {
  if (typeof address !== "string") throw scriptError("address.invalid_encoding", "address must be a string");
  let decoded: { prefix: string; words: number[] };
  let payload: Uint8Array;
  try {
    decoded = bech32m.decode(address as `${string}1${string}`, ADDRESS_LIMIT);
    payload = bech32m.fromWords(decoded.words);
  } catch (cause) {
    throw scriptError("address.invalid_encoding", "not a valid bech32m string", undefined, cause);
  }
  if (decoded.prefix !== "ark" && decoded.prefix !== "tark") {
    throw scriptError("address.invalid_hrp", `HRP must be ark or tark, got ${decoded.prefix}`, {
      hrp: decoded.prefix,
    });
  }
  if (network !== undefined && arkHrp(network) !== decoded.prefix) {
    throw scriptError("address.network_mismatch", `a ${decoded.prefix} address is not for ${network}`, {
      network,
    });
  }
  if (payload.length !== PAYLOAD_BYTES) {
    throw scriptError("address.invalid_length", `payload must be 65 bytes, got ${payload.length}`, {
      length: payload.length,
    });
  }
  if (payload[0] !== 0) {
    throw scriptError("address.invalid_version", `unsupported address version ${payload[0]}`, {
      version: payload[0],
    });
  }
  const serverKey = xOnly(payload.slice(1, 33), "serverKey");
  const vtxoOutputKey = xOnly(payload.slice(33, 65), "vtxoOutputKey");
  return Object.freeze({
    hrp: decoded.prefix,
    version: 0,
    serverKey,
    vtxoOutputKey,
    pkScript: concatBytes(Uint8Array.of(0x51, 0x20), vtxoOutputKey),
  });
}

function xOnly(key: unknown, field: string): Uint8Array {
  if (isBytes(key) && key.length === 33 && (key[0] === 2 || key[0] === 3) && isValidXOnly(key.slice(1))) {
    return key.slice(1);
  }
  if (isBytes(key) && key.length === 32 && isValidXOnly(key)) return key.slice();
  throw scriptError("address.invalid_key", `${field} is not a valid x-only public key`, { field });
}
