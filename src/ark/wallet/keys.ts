/**
 * Key derivation (BIP32 over the wallet seed). Two branches, fixed forever (changing a path would
 * orphan every VTXO and VHTLC locked to the old keys):
 * - swap keys:   m/86'/1'/0'/0/<index>   one per swap, <index> allocated in wallet_keys (0..2^31-1)
 * - wallet key:  m/86'/1'/1'/0/0         the key of the gateway's own VTXOs (default VTXO script)
 * The coin type is 1' on every network: these are Ark keys, not Bitcoin wallet addresses, and the
 * seed is never shared with a Bitcoin wallet. The wallet key lives on its own account so the
 * gateway's VTXO script follows from the seed alone, without the database.
 */
import { HDKey } from "@scure/bip32";
import { createSchnorrSigner, type SchnorrSigner } from "../tx/index.js";
import { walletError } from "./errors.js";
import { xOnlyHexOf } from "../../lib/hex.js";

export const SWAP_KEY_BRANCH = "m/86'/1'/0'/0";
export const WALLET_KEY_PATH = "m/86'/1'/1'/0/0";
/** Highest non-hardened BIP32 child index. */
export const MAX_KEY_INDEX = 0x7fffffff;

/** A derived key: signer, x-only and compressed public keys. */
export interface DerivedKey {
  readonly signer: SchnorrSigner;
  /** 32-byte x-only public key. */
  readonly xOnly: Uint8Array;
  /** 33-byte compressed public key, hex. */
  readonly publicKeyHex: string;
}

/** The wallet's keys; private keys never leave this object except inside a signer. */
export interface KeyRing {
  /** Key of the gateway's own VTXOs. */
  readonly walletKey: DerivedKey;
  /**
   * Key of swap `index` (cached).
   * @throws GatewayError `wallet.invalid_key_index`
   */
  swapKey(index: number | bigint): DerivedKey;
}

/**
 * Builds the key ring of a seed.
 * @param seed 16..64 bytes
 * @throws GatewayError `wallet.seed_invalid`
 */
export function createKeyRing(seed: Uint8Array): KeyRing {
  if (!(seed instanceof Uint8Array) || seed.length < 16 || seed.length > 64)
    throw walletError("wallet.seed_invalid", "the seed must be 16 to 64 bytes");
  const master = HDKey.fromMasterSeed(seed);
  const swapBranch = master.derive(SWAP_KEY_BRANCH);
  const walletKey = toDerivedKey(master.derive(WALLET_KEY_PATH));
  const cache = new Map<number, DerivedKey>();
  return {
    walletKey,
    swapKey(index: number | bigint): DerivedKey {
      const i = checkIndex(index);
      let key = cache.get(i);
      if (key === undefined) {
        key = toDerivedKey(swapBranch.deriveChild(i));
        cache.set(i, key);
      }
      return key;
    },
  };
}

function checkIndex(index: number | bigint): number {
  const n = typeof index === "bigint" ? Number(index) : index;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_KEY_INDEX)
    throw walletError("wallet.invalid_key_index", `key index must be in [0, 2^31-1], got ${String(index)}`, {
      index: String(index),
    });
  return n;
}

/**
 * The key of a derived node. BIP32 derivation computes the public key already (one point
 * multiplication); the Schnorr signer (a second one, for its even-Y key) is made on first use,
 * so allocating a swap key for a new swap costs one multiplication, not two.
 */
function toDerivedKey(node: HDKey): DerivedKey {
  const priv = node.privateKey;
  const pub = node.publicKey;
  if (priv === null || pub === null)
    throw walletError("wallet.seed_invalid", "derived key has no private key");
  let signer: SchnorrSigner | undefined;
  return {
    get signer(): SchnorrSigner {
      signer ??= createSchnorrSigner(priv);
      return signer;
    },
    xOnly: pub.slice(1),
    publicKeyHex: Buffer.from(pub).toString("hex"),
  };
}

/** x-only part of a 33-byte compressed (or 32-byte x-only) hex key. */
export function xOnlyFromHex(key: string): Uint8Array {
  const xOnly = xOnlyHexOf(key);
  if (xOnly === undefined) throw walletError("wallet.invalid_request", `not a public key: ${key}`);
  return Uint8Array.from(Buffer.from(xOnly, "hex"));
}
