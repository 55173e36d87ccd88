/**
 * Key derivation (BIP32 over the wallet seed). Two branches, fixed forever (changing a path would
 * orphan every VTXO and VHTLC locked to the old keys):
 * - swap keys:   m/86'/1'/0'/0/<index>   one per swap, <index> allocated in wallet_keys (0..2^31-1)
 * - wallet key:  m/86'/1'/1'/0/0         the key of the gateway's own VTXOs (default VTXO script)
 * The coin type is 1' on every network: these are Ark keys, not Bitcoin wallet addresses, and the
 * seed is never shared with a Bitcoin wallet. The wallet key lives on its own account so the
 * gateway's VTXO script follows from the seed alone, without the database.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { HDKey } from "@scure/bip32";
import { mulBaseAdd } from "../scripts/index.js";
import { createSchnorrSigner, type SchnorrSigner } from "../tx/index.js";
import { walletError } from "./errors.js";
import { xOnlyHexOf } from "../../lib/hex.js";

export const SWAP_KEY_BRANCH = "m/86'/1'/0'/0";
export const WALLET_KEY_PATH = "m/86'/1'/1'/0/0";
/** Derived swap keys kept in memory (a re-derivation costs ~0.15 ms). */
const DERIVED_KEYS_KEPT = 4_096;

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
  const deriveSwapKey = childKeyDeriver(swapBranch);
  const cache = new Map<number, DerivedKey>();
  return {
    walletKey,
    swapKey(index: number | bigint): DerivedKey {
      const i = checkIndex(index);
      let key = cache.get(i);
      if (key === undefined) {
        key = deriveSwapKey(i);
        // bounded: a long-running gateway derives a key per swap ever made; the oldest goes first
        if (cache.size >= DERIVED_KEYS_KEPT) cache.delete(cache.keys().next().value!);
        cache.set(i, key);
      }
      return key;
    },
  };
}

const N = secp256k1.Point.Fn.ORDER;

/**
 * BIP32 non-hardened child derivation (CKDpriv) of `parent`'s children, with the child's public
 * key computed as IL·G + K_par on the fixed-base table (src/ark/scripts/fixed-base.ts) instead
 * of a full multiplication of the child's private key: the same key, 125-160 µs instead of
 * 460-650 µs per new swap (@scure/bip32's deriveChild). The child's private key
 * (k_par + IL mod n) is only computed when its signer is first used. The unit tests check every
 * key against @scure/bip32's derivation.
 * @throws GatewayError `wallet.seed_invalid` in BIP32's invalid cases (IL ≥ n, a zero key or the
 *   point at infinity: probability below 2^-127 per index)
 */
function childKeyDeriver(parent: HDKey): (index: number) => DerivedKey {
  const parentPriv = parent.privateKey;
  const parentPub = parent.publicKey;
  const chainCode = parent.chainCode;
  if (parentPriv === null || parentPub === null || chainCode === null)
    throw walletError("wallet.seed_invalid", "the swap key branch has no private key");
  const parentPoint = secp256k1.Point.fromBytes(parentPub).toAffine();
  const parentScalar = bytesToNumberBE(parentPriv);
  return (index) => {
    const data = new Uint8Array(37);
    data.set(parentPub, 0);
    new DataView(data.buffer).setUint32(33, index, false);
    const i = hmac(sha512, chainCode, data);
    const il = i.subarray(0, 32);
    const tweak = bytesToNumberBE(il);
    const child = tweak < N ? mulBaseAdd(il, parentPoint.x, parentPoint.y) : undefined;
    if (child === undefined)
      throw walletError("wallet.seed_invalid", `BIP32 child ${index} of the swap key branch is invalid`, {
        index,
      });
    const xOnly = numberToBytesBE(child.x, 32);
    const pub = new Uint8Array(33);
    pub[0] = (child.y & 1n) === 0n ? 2 : 3;
    pub.set(xOnly, 1);
    let signer: SchnorrSigner | undefined;
    return {
      get signer(): SchnorrSigner {
        // not zero: its public key (the same scalar times G) was not the point at infinity
        signer ??= createSchnorrSigner(numberToBytesBE((parentScalar + tweak) % N, 32));
        return signer;
      },
      xOnly,
      publicKeyHex: Buffer.from(pub).toString("hex"),
    };
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
