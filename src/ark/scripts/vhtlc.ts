/**
 * The VHTLC ("v1", Ark Labs / fulmine / Boltz): six leaves in a fixed order, which fixes the tree
 * and therefore the address:
 * 0 claim                            <h160 condition> VERIFY receiver + server
 * 1 refund                           sender + receiver + server
 * 2 refundWithoutReceiver            CLTV(refundLocktime): sender + server
 * 3 unilateralClaim                  <h160 condition> VERIFY CSV(unilateralClaimDelay): receiver
 * 4 unilateralRefund                 CSV(unilateralRefundDelay): sender + receiver
 * 5 unilateralRefundWithoutReceiver  CSV(unilateralRefundWithoutReceiverDelay): sender
 * The condition is `HASH160 <h160> EQUAL` with h160 = RIPEMD160(SHA256(preimage)).
 */
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, equalBytes, isBytes, isValidXOnly } from "./bytes.js";
import { cltvMultisigScript, csvMultisigScript, multisigScript } from "./closures.js";
import { scriptError, throwIssues, type ScriptIssue } from "./errors.js";
import { OP, pushData } from "./script-codec.js";
import { buildTapTree, type TapTree } from "./taptree.js";
import { absoluteLocktimeIssues, relativeTimelockIssues, type RelativeTimelock } from "./timelocks.js";

export const VHTLC_LEAF_NAMES = [
  "claim",
  "refund",
  "refundWithoutReceiver",
  "unilateralClaim",
  "unilateralRefund",
  "unilateralRefundWithoutReceiver",
] as const;

export type VhtlcLeafName = (typeof VHTLC_LEAF_NAMES)[number];

export const VHTLC_DELAY_FIELDS = [
  "unilateralClaimDelay",
  "unilateralRefundDelay",
  "unilateralRefundWithoutReceiverDelay",
] as const;

export interface VhtlcParams {
  /** Funds the VHTLC and gets it back on refund: 32-byte x-only or 33-byte compressed key. */
  readonly sender: Uint8Array;
  /** Claims with the preimage: 32-byte x-only or 33-byte compressed key. */
  readonly receiver: Uint8Array;
  /** The Ark server's signer key (GetInfo.signer_pubkey): 32-byte x-only or 33-byte compressed. */
  readonly server: Uint8Array;
  /** RIPEMD160(SHA256(preimage)) = RIPEMD160(payment_hash), 20 bytes. */
  readonly preimageHash: Uint8Array;
  /** Absolute CLTV of refundWithoutReceiver: block height (< 500,000,000) or unix time (s). */
  readonly refundLocktime: bigint;
  readonly unilateralClaimDelay: RelativeTimelock;
  readonly unilateralRefundDelay: RelativeTimelock;
  readonly unilateralRefundWithoutReceiverDelay: RelativeTimelock;
}

export interface Vhtlc extends Readonly<Record<VhtlcLeafName, Uint8Array>> {
  /** The parameters with keys normalised to 32-byte x-only. */
  readonly params: VhtlcParams;
  /** Leaf scripts in the fixed order of VHTLC_LEAF_NAMES. */
  readonly leaves: readonly Uint8Array[];
  readonly tree: TapTree;
  /** x-only taproot output key (the VTXO key in the Ark address). */
  readonly outputKey: Uint8Array;
  /** `OP_1 <outputKey>`. */
  readonly pkScript: Uint8Array;
  /** Control block of one of the six leaf scripts. @throws `taptree.unknown_leaf` */
  controlBlock(leafScript: Uint8Array): Uint8Array;
  /** Position of a named leaf (0..5). */
  leafIndex(name: VhtlcLeafName): number;
}

/**
 * Lists every problem with VHTLC parameters (empty when valid): key lengths and curve
 * membership, three distinct keys, a 20-byte hash, a positive refund locktime below 2^32, and
 * three valid BIP-68 delays whose block values stay below 512 (a bare number ≥ 512 means
 * seconds to arkd and Boltz clients, so a larger block delay could not be communicated).
 */
export function vhtlcParamIssues(params: unknown): ScriptIssue[] {
  if (typeof params !== "object" || params === null) {
    return [{ code: "vhtlc.invalid_params", field: "params", message: "expected an object" }];
  }
  const p = params as Partial<Record<keyof VhtlcParams, unknown>>;
  const issues: ScriptIssue[] = [];
  if (!isBytes(p.preimageHash) || p.preimageHash.length !== 20) {
    issues.push({
      code: "vhtlc.invalid_preimage_hash",
      field: "preimageHash",
      message: "preimage hash must be 20 bytes",
    });
  }
  const keys = (["sender", "receiver", "server"] as const).map((field) => keyIssue(p[field], field, issues));
  const [sender, receiver, server] = keys;
  const pairs = [
    ["sender", sender, "receiver", receiver],
    ["sender", sender, "server", server],
    ["receiver", receiver, "server", server],
  ] as const;
  for (const [na, a, nb, b] of pairs) {
    if (a !== undefined && b !== undefined && equalBytes(a, b)) {
      issues.push({ code: "vhtlc.duplicate_pubkey", field: nb, message: `${na} and ${nb} are the same key` });
    }
  }
  if (typeof p.refundLocktime === "bigint" && p.refundLocktime <= 0n) {
    issues.push({
      code: "vhtlc.refund_locktime_not_positive",
      field: "refundLocktime",
      message: "refund locktime must be greater than 0",
    });
  } else {
    issues.push(...absoluteLocktimeIssues(p.refundLocktime, "refundLocktime"));
  }
  for (const field of VHTLC_DELAY_FIELDS) {
    const delayIssues = relativeTimelockIssues(p[field], field);
    issues.push(...delayIssues);
    const d = p[field] as RelativeTimelock;
    if (delayIssues.length === 0 && d.type === "blocks" && d.value >= 512n) {
      issues.push({
        code: "vhtlc.delay_blocks_ambiguous",
        field,
        message: `a block delay must be below 512, got ${d.value}`,
      });
    }
  }
  return issues;
}

/** Returns the x-only form of a valid key, or records an issue and returns undefined. */
function keyIssue(key: unknown, field: string, issues: ScriptIssue[]): Uint8Array | undefined {
  if (!isBytes(key) || (key.length !== 32 && key.length !== 33)) {
    issues.push({
      code: "vhtlc.invalid_pubkey_length",
      field,
      message: "expected a 32-byte x-only or 33-byte compressed key",
    });
    return undefined;
  }
  const valid = key.length === 32 ? isValidXOnly(key) : isValidCompressed(key);
  if (!valid) {
    issues.push({ code: "vhtlc.invalid_pubkey", field, message: "not a valid secp256k1 public key" });
    return undefined;
  }
  return key.length === 32 ? key.slice() : key.slice(1);
}

/** A 02/03 prefix and an x on the curve (either y parity then exists; x = 0 never is). */
function isValidCompressed(key: Uint8Array): boolean {
  if (key[0] !== 0x02 && key[0] !== 0x03) return false;
  return isValidXOnly(key.subarray(1));
}

/**
 * Builds the VHTLC: six leaf scripts, the btcd-shaped tap tree, output key and pkScript.
 * @param params keys (x-only or compressed), 20-byte preimage hash, refund locktime (nLockTime),
 *   and three BIP-68 delays
 * @throws GatewayError with the first problem's code (`vhtlc.*` or `timelock.*`), every problem
 *   listed in `details.issues`
 */
export function buildVhtlc(params: VhtlcParams): Vhtlc {
  throwIssues(vhtlcParamIssues(params));
  const x = (k: Uint8Array): Uint8Array => (k.length === 33 ? k.slice(1) : k.slice());
  const [sender, receiver, server] = [x(params.sender), x(params.receiver), x(params.server)];
  const condition = vhtlcCondition(params.preimageHash);
  // every argument was validated above: use the unchecked builders
  const verify = Uint8Array.of(OP.VERIFY);
  const scripts: Record<VhtlcLeafName, Uint8Array> = {
    claim: concatBytes(condition, verify, multisigScript([receiver, server])),
    refund: multisigScript([sender, receiver, server]),
    refundWithoutReceiver: cltvMultisigScript(params.refundLocktime, [sender, server]),
    unilateralClaim: concatBytes(
      condition,
      verify,
      csvMultisigScript(params.unilateralClaimDelay, [receiver]),
    ),
    unilateralRefund: csvMultisigScript(params.unilateralRefundDelay, [sender, receiver]),
    unilateralRefundWithoutReceiver: csvMultisigScript(params.unilateralRefundWithoutReceiverDelay, [sender]),
  };
  const leaves = VHTLC_LEAF_NAMES.map((n) => scripts[n]);
  const tree = buildTapTree(leaves);
  return Object.freeze({
    ...scripts,
    params: Object.freeze({ ...params, sender, receiver, server, preimageHash: params.preimageHash.slice() }),
    leaves,
    tree,
    outputKey: tree.outputKey,
    pkScript: tree.pkScript,
    controlBlock: (leafScript: Uint8Array) => tree.controlBlock(tree.indexOf(leafScript)),
    leafIndex: (name: VhtlcLeafName) => {
      const i = VHTLC_LEAF_NAMES.indexOf(name);
      if (i < 0) throw scriptError("vhtlc.invalid_params", `unknown VHTLC leaf ${String(name)}`);
      return i;
    },
  });
}

/**
 * The VHTLC condition script `HASH160 <h160> EQUAL`.
 * @param preimageHash 20-byte RIPEMD160(SHA256(preimage))
 * @throws GatewayError `vhtlc.invalid_preimage_hash`
 */
export function vhtlcCondition(preimageHash: Uint8Array): Uint8Array {
  if (!isBytes(preimageHash) || preimageHash.length !== 20) {
    throw scriptError("vhtlc.invalid_preimage_hash", "preimage hash must be 20 bytes");
  }
  return concatBytes(Uint8Array.of(OP.HASH160), pushData(preimageHash), Uint8Array.of(OP.EQUAL));
}

/**
 * h160 of a Lightning preimage: RIPEMD160(SHA256(preimage)).
 * @param preimage 32 bytes
 * @returns 20 bytes
 * @throws GatewayError `vhtlc.invalid_preimage`
 */
export function h160FromPreimage(preimage: Uint8Array): Uint8Array {
  if (!isBytes(preimage) || preimage.length !== 32) {
    throw scriptError("vhtlc.invalid_preimage", "preimage must be 32 bytes");
  }
  return h160FromPaymentHash(sha256(preimage));
}

/**
 * h160 of a Lightning payment hash: RIPEMD160(payment_hash) (the payment hash is SHA256(preimage)).
 * @param paymentHash 32 bytes
 * @returns 20 bytes
 * @throws GatewayError `vhtlc.invalid_payment_hash`
 */
export function h160FromPaymentHash(paymentHash: Uint8Array): Uint8Array {
  if (!isBytes(paymentHash) || paymentHash.length !== 32) {
    throw scriptError("vhtlc.invalid_payment_hash", "payment hash must be 32 bytes");
  }
  return ripemd160(paymentHash);
}
