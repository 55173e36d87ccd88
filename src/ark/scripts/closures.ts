/**
 * Ark tapscript closures, encoded and decoded byte-exactly as arkd does (keys are 32-byte
 * x-only; numbers use the minimal CScriptNum form, 1..16 as OP_1..OP_16):
 * - multisig:               <P1> CHECKSIGVERIFY ... <Pn> CHECKSIG
 * - csv-multisig:           <bip68 seq> CHECKSEQUENCEVERIFY DROP <multisig>
 * - cltv-multisig:          <locktime> CHECKLOCKTIMEVERIFY DROP <multisig>
 * - condition-multisig:     <condition> VERIFY <multisig>
 * - condition-csv-multisig: <condition> VERIFY <bip68 seq> CHECKSEQUENCEVERIFY DROP <multisig>
 */
import { assertBytes, assertXOnlyKey, concatBytes, equalBytes, isBytes, toHex } from "./bytes.js";
import { scriptError } from "./errors.js";
import { OP, isOpSuccess, pushData, pushNumber, readNumber, tokenize, type Token } from "./script-codec.js";
import {
  absoluteLocktimeIssues,
  assertRelativeTimelock,
  decodeRelativeTimelock,
  encodeRelativeTimelock,
  type RelativeTimelock,
} from "./timelocks.js";

export type Closure =
  | { readonly type: "multisig"; readonly pubkeys: readonly Uint8Array[] }
  | {
      readonly type: "csv-multisig";
      readonly timelock: RelativeTimelock;
      readonly pubkeys: readonly Uint8Array[];
    }
  | { readonly type: "cltv-multisig"; readonly locktime: bigint; readonly pubkeys: readonly Uint8Array[] }
  | {
      readonly type: "condition-multisig";
      readonly condition: Uint8Array;
      readonly pubkeys: readonly Uint8Array[];
    }
  | {
      readonly type: "condition-csv-multisig";
      readonly condition: Uint8Array;
      readonly timelock: RelativeTimelock;
      readonly pubkeys: readonly Uint8Array[];
    };

export type ClosureType = Closure["type"];

/**
 * Opcodes a condition may not contain: signatures and timelocks belong to the closure itself
 * (arkd refuses them); VERIFY would move the split point between condition and multisig; the
 * PUSHDATA forms do not survive arkd's condition decoder, which drops their length prefix.
 */
const FORBIDDEN_IN_CONDITION: ReadonlySet<number> = new Set([
  OP.CHECKSIG,
  OP.CHECKSIGVERIFY,
  OP.CHECKSIGADD,
  OP.CHECKMULTISIG,
  OP.CHECKMULTISIGVERIFY,
  OP.CHECKLOCKTIMEVERIFY,
  OP.CHECKSEQUENCEVERIFY,
  OP.VERIFY,
  OP.PUSHDATA1,
  OP.PUSHDATA2,
  OP.PUSHDATA4,
]);

/**
 * `<P1> CHECKSIGVERIFY ... <Pn> CHECKSIG`.
 * @param pubkeys one or more 32-byte x-only keys; signatures go on the witness in reverse order
 * @throws GatewayError `closure.no_pubkeys`, `closure.invalid_pubkey_length`, `closure.invalid_pubkey`
 */
export function encodeMultisig(pubkeys: readonly Uint8Array[]): Uint8Array {
  assertPubkeys(pubkeys);
  return multisigScript(pubkeys);
}

/*
 * Unchecked builders: callers have validated every argument already (lifting an x-only key
 * onto the curve is the expensive part of building a VHTLC, so it is done once per key).
 */

/** @internal `<P1> CHECKSIGVERIFY ... <Pn> CHECKSIG` without validation. */
export function multisigScript(pubkeys: readonly Uint8Array[]): Uint8Array {
  const parts = pubkeys.map((k, i) =>
    concatBytes(pushData(k), Uint8Array.of(i === pubkeys.length - 1 ? OP.CHECKSIG : OP.CHECKSIGVERIFY)),
  );
  return concatBytes(...parts);
}

/**
 * `<seq> CHECKSEQUENCEVERIFY DROP <multisig>`.
 * @param timelock BIP-68 relative timelock (blocks, or seconds in multiples of 512)
 * @throws GatewayError `timelock.*` or `closure.*`
 */
export function encodeCsvMultisig(timelock: RelativeTimelock, pubkeys: readonly Uint8Array[]): Uint8Array {
  assertRelativeTimelock(timelock, "timelock");
  assertPubkeys(pubkeys);
  return csvMultisigScript(timelock, pubkeys);
}

/** @internal `<seq> CSV DROP <multisig>` without validation. */
export function csvMultisigScript(timelock: RelativeTimelock, pubkeys: readonly Uint8Array[]): Uint8Array {
  return concatBytes(csvPrefix(timelock), multisigScript(pubkeys));
}

/**
 * `<locktime> CHECKLOCKTIMEVERIFY DROP <multisig>`.
 * @param locktime nLockTime, 1..2^32-1 (< 500,000,000 block height, else unix seconds)
 * @throws GatewayError `timelock.*` or `closure.*`
 */
export function encodeCltvMultisig(locktime: bigint, pubkeys: readonly Uint8Array[]): Uint8Array {
  const [bad] = absoluteLocktimeIssues(locktime, "locktime");
  if (bad !== undefined) throw scriptError(bad.code, `locktime: ${bad.message}`, { field: "locktime" });
  assertPubkeys(pubkeys);
  return cltvMultisigScript(locktime, pubkeys);
}

/** @internal `<locktime> CLTV DROP <multisig>` without validation. */
export function cltvMultisigScript(locktime: bigint, pubkeys: readonly Uint8Array[]): Uint8Array {
  const prefix = concatBytes(pushNumber(locktime), Uint8Array.of(OP.CHECKLOCKTIMEVERIFY, OP.DROP));
  return concatBytes(prefix, multisigScript(pubkeys));
}

/**
 * `<condition> VERIFY <multisig>`.
 * @param condition raw script bytes, evaluated with the extra witness items (e.g. a preimage)
 * @throws GatewayError `closure.empty_condition`, `closure.forbidden_condition_opcode`, `closure.*`
 */
export function encodeConditionMultisig(condition: Uint8Array, pubkeys: readonly Uint8Array[]): Uint8Array {
  assertCondition(condition);
  assertPubkeys(pubkeys);
  return concatBytes(condition, Uint8Array.of(OP.VERIFY), multisigScript(pubkeys));
}

/**
 * `<condition> VERIFY <seq> CHECKSEQUENCEVERIFY DROP <multisig>`.
 * @throws GatewayError `closure.*` or `timelock.*`
 */
export function encodeConditionCsvMultisig(
  condition: Uint8Array,
  timelock: RelativeTimelock,
  pubkeys: readonly Uint8Array[],
): Uint8Array {
  assertCondition(condition);
  assertRelativeTimelock(timelock, "timelock");
  assertPubkeys(pubkeys);
  return concatBytes(condition, Uint8Array.of(OP.VERIFY), csvMultisigScript(timelock, pubkeys));
}

/**
 * Encodes any closure.
 * @throws GatewayError `closure.invalid_type` or whatever the specific encoder throws
 */
export function encodeClosure(c: Closure): Uint8Array {
  if (typeof c !== "object" || c === null)
    throw scriptError("closure.invalid_type", "expected a closure object");
  switch (c.type) {
    case "multisig":
      return encodeMultisig(c.pubkeys);
    case "csv-multisig":
      return encodeCsvMultisig(c.timelock, c.pubkeys);
    case "cltv-multisig":
      return encodeCltvMultisig(c.locktime, c.pubkeys);
    case "condition-multisig":
      return encodeConditionMultisig(c.condition, c.pubkeys);
    case "condition-csv-multisig":
      return encodeConditionCsvMultisig(c.condition, c.timelock, c.pubkeys);
    default:
      throw scriptError(
        "closure.invalid_type",
        `unknown closure type ${String((c as { type?: unknown }).type)}`,
      );
  }
}

/**
 * Decodes a tapscript leaf into its closure. Only the canonical encoding is accepted: the result
 * re-encodes to exactly `script`.
 * @throws GatewayError `script.truncated_push`, `closure.op_success`, `closure.invalid_pubkey`,
 *   `closure.forbidden_condition_opcode`, `closure.empty_condition`, `closure.unrecognized_script`
 */
export function decodeClosure(script: Uint8Array): Closure {
  assertBytes(script, "script", "script.invalid_bytes");
  if (script.length === 0) throw scriptError("closure.unrecognized_script", "script is empty");
  const tokens = tokenize(script);
  const success = tokens.find((t) => t.data === undefined && isOpSuccess(t.opcode));
  if (success !== undefined) {
    throw scriptError("closure.op_success", `OP_SUCCESS${success.opcode} at byte ${success.start}`, {
      offset: success.start,
    });
  }
  const closure = decodeTokens(script, tokens);
  if (closure === undefined || !equalBytes(closureScript(closure), script)) {
    throw scriptError("closure.unrecognized_script", `not an Ark closure: ${toHex(script)}`);
  }
  return closure;
}

/** Re-encodes a closure whose parts decodeTokens has already validated. */
function closureScript(c: Closure): Uint8Array {
  const verify = Uint8Array.of(OP.VERIFY);
  switch (c.type) {
    case "multisig":
      return multisigScript(c.pubkeys);
    case "csv-multisig":
      return csvMultisigScript(c.timelock, c.pubkeys);
    case "cltv-multisig":
      return cltvMultisigScript(c.locktime, c.pubkeys);
    case "condition-multisig":
      return concatBytes(c.condition, verify, multisigScript(c.pubkeys));
    case "condition-csv-multisig":
      return concatBytes(c.condition, verify, csvMultisigScript(c.timelock, c.pubkeys));
  }
}

function decodeTokens(script: Uint8Array, tokens: readonly Token[]): Closure | undefined {
  const verifyAt = tokens.findIndex((t) => t.opcode === OP.VERIFY && t.data === undefined);
  if (verifyAt < 0) return decodeUnconditional(tokens);
  const verify = tokens[verifyAt];
  if (verify === undefined) return undefined;
  const condition = script.slice(0, verify.start);
  assertCondition(condition);
  const rest = decodeUnconditional(tokens.slice(verifyAt + 1));
  if (rest?.type === "multisig") return { type: "condition-multisig", condition, pubkeys: rest.pubkeys };
  if (rest?.type === "csv-multisig") {
    return { type: "condition-csv-multisig", condition, timelock: rest.timelock, pubkeys: rest.pubkeys };
  }
  return undefined;
}

function decodeUnconditional(tokens: readonly Token[]): Closure | undefined {
  const [first, second, third] = tokens;
  if (second?.opcode === OP.CHECKSEQUENCEVERIFY && third?.opcode === OP.DROP && first !== undefined) {
    const seq = readNumber(first, 5);
    const pubkeys = decodeMultisigKeys(tokens.slice(3));
    if (seq === undefined || pubkeys === undefined) return undefined;
    return { type: "csv-multisig", timelock: decodeRelativeTimelock(seq), pubkeys };
  }
  if (second?.opcode === OP.CHECKLOCKTIMEVERIFY && third?.opcode === OP.DROP && first !== undefined) {
    const locktime = readNumber(first, 5);
    const pubkeys = decodeMultisigKeys(tokens.slice(3));
    if (locktime === undefined || pubkeys === undefined) return undefined;
    const [bad] = absoluteLocktimeIssues(locktime, "locktime");
    if (bad !== undefined) throw scriptError(bad.code, `locktime: ${bad.message}`, { field: "locktime" });
    return { type: "cltv-multisig", locktime, pubkeys };
  }
  const pubkeys = decodeMultisigKeys(tokens);
  return pubkeys === undefined ? undefined : { type: "multisig", pubkeys };
}

/** Reads `(<32B> CHECKSIGVERIFY)* <32B> CHECKSIG` to its end; undefined if the shape differs. */
function decodeMultisigKeys(tokens: readonly Token[]): Uint8Array[] | undefined {
  if (tokens.length < 2 || tokens.length % 2 !== 0) return undefined;
  const keys: Uint8Array[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const push = tokens[i];
    const op = tokens[i + 1];
    const last = i === tokens.length - 2;
    if (push?.opcode !== 32 || push.data === undefined) return undefined;
    if (op?.opcode !== (last ? OP.CHECKSIG : OP.CHECKSIGVERIFY)) return undefined;
    assertXOnlyKey(push.data, `pubkeys[${keys.length}]`);
    keys.push(push.data);
  }
  return keys;
}

function csvPrefix(timelock: RelativeTimelock): Uint8Array {
  const seq = BigInt(encodeRelativeTimelock(timelock));
  return concatBytes(pushNumber(seq), Uint8Array.of(OP.CHECKSEQUENCEVERIFY, OP.DROP));
}

function assertPubkeys(pubkeys: unknown): asserts pubkeys is readonly Uint8Array[] {
  if (!Array.isArray(pubkeys) || pubkeys.length === 0) {
    throw scriptError("closure.no_pubkeys", "a closure needs at least one public key");
  }
  pubkeys.forEach((k, i) => assertXOnlyKey(k, `pubkeys[${i}]`));
}

function assertCondition(condition: unknown): asserts condition is Uint8Array {
  if (!isBytes(condition)) throw scriptError("script.invalid_bytes", "condition: expected a Uint8Array");
  if (condition.length === 0) throw scriptError("closure.empty_condition", "condition script is empty");
  for (const t of tokenize(condition)) {
    if (t.data !== undefined && t.opcode < OP.PUSHDATA1) continue;
    if (FORBIDDEN_IN_CONDITION.has(t.opcode) || isOpSuccess(t.opcode)) {
      throw scriptError(
        isOpSuccess(t.opcode) ? "closure.op_success" : "closure.forbidden_condition_opcode",
        `condition may not contain opcode 0x${t.opcode.toString(16)} (byte ${t.start})`,
        { opcode: t.opcode, offset: t.start },
      );
    }
  }
}
