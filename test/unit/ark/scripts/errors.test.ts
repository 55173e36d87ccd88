/** One row per error code of the catalog: each code is reachable and raised for its reason. */
import { bech32m, hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  SCRIPT_ERRORS,
  arkHrp,
  assertVhtlcForServer,
  buildTapTree,
  buildVhtlc,
  decodeAbsoluteTimelock,
  decodeArkAddress,
  decodeClosure,
  decodeRelativeTimelock,
  decodeTapTreeField,
  encodeArkAddress,
  encodeClosure,
  encodeConditionMultisig,
  encodeMultisig,
  encodeRelativeTimelock,
  h160FromPaymentHash,
  h160FromPreimage,
  tweakXOnlyKey,
  validateVhtlcForServer,
  type Closure,
  type RelativeTimelock,
  type VhtlcParams,
} from "../../../../src/ark/scripts/index.js";
import type { ArkServerInfo } from "../../../../src/ark/server-info.js";
import { isGatewayError } from "../../../../src/domain/errors.js";
import { INFO, OFF_CURVE_X, PARAMS, SECONDS_INFO, SENDER, SERVER, key } from "./fixtures-local.js";

const leaf = encodeMultisig([SENDER]);
const addr = (payload: Uint8Array, hrp = "tark"): string =>
  bech32m.encode(hrp, bech32m.toWords(payload), 1023);
const payload = (version: number, rest: Uint8Array = new Uint8Array([...SERVER, ...SENDER])) =>
  Uint8Array.of(version, ...rest);
const withParams = (p: Partial<Record<keyof VhtlcParams, unknown>>) => () =>
  buildVhtlc({ ...PARAMS, ...p } as VhtlcParams);
const check =
  (p: Partial<VhtlcParams>, info: ArkServerInfo = INFO) =>
  () =>
    validateVhtlcForServer({ ...PARAMS, ...p }, info);
const rel = (type: string, value: unknown) => () =>
  encodeRelativeTimelock({ type, value } as RelativeTimelock);

/** [code, what triggers it]; the thunk either throws or returns a server check with issues. */
const ROWS: ReadonlyArray<readonly [string, () => unknown]> = [
  ["script.invalid_bytes", () => decodeClosure("51" as unknown as Uint8Array)],
  ["script.truncated_push", () => decodeClosure(Uint8Array.of(0x20, 1, 2, 3))],
  ["script.non_minimal_number", () => decodeClosure(Uint8Array.of(0x01, 0x10, 0xb2, 0x75, ...leaf))],
  ["closure.invalid_pubkey_length", () => encodeMultisig([new Uint8Array(33)])],
  ["closure.invalid_pubkey", () => encodeMultisig([OFF_CURVE_X])],
  ["closure.no_pubkeys", () => encodeMultisig([])],
  ["closure.empty_condition", () => encodeConditionMultisig(new Uint8Array(), [SENDER])],
  ["closure.forbidden_condition_opcode", () => encodeConditionMultisig(Uint8Array.of(0x51, 0xac), [SENDER])],
  ["closure.op_success", () => decodeClosure(Uint8Array.of(0x50, 0x75, ...leaf))],
  ["closure.unrecognized_script", () => decodeClosure(Uint8Array.of(0x51))],
  ["closure.invalid_type", () => encodeClosure({ type: "p2pk" } as unknown as Closure)],
  ["timelock.invalid_type", rel("hours", 1n)],
  ["timelock.not_bigint", rel("blocks", 1)],
  ["timelock.not_positive", rel("blocks", 0n)],
  ["timelock.blocks_out_of_range", rel("blocks", 65_536n)],
  ["timelock.seconds_below_512", rel("seconds", 511n)],
  ["timelock.seconds_not_multiple_of_512", rel("seconds", 1000n)],
  ["timelock.seconds_out_of_range", rel("seconds", 512n * 65_536n)],
  ["timelock.absolute_out_of_range", () => decodeAbsoluteTimelock(2n ** 32n)],
  ["timelock.invalid_sequence", () => decodeRelativeTimelock(2 ** 31 + 10)],
  ["taptree.no_leaves", () => buildTapTree([])],
  ["taptree.invalid_leaf", () => buildTapTree([leaf, new Uint8Array()])],
  ["taptree.duplicate_leaf", () => buildTapTree([leaf, encodeMultisig([SERVER]), leaf])],
  ["taptree.leaf_index_out_of_range", () => buildTapTree([leaf]).controlBlock(1)],
  ["taptree.unknown_leaf", () => buildTapTree([leaf]).indexOf(encodeMultisig([SERVER]))],
  ["taptree.invalid_tweak", () => tweakXOnlyKey(OFF_CURVE_X, new Uint8Array(32))],
  ["taptree.invalid_field", () => decodeTapTreeField(Uint8Array.of(1, 0xc1, 1, 0x51))],
  ["vhtlc.invalid_params", () => buildVhtlc(null as unknown as VhtlcParams)],
  ["vhtlc.invalid_pubkey_length", withParams({ sender: new Uint8Array(31) })],
  ["vhtlc.invalid_pubkey", withParams({ receiver: Uint8Array.of(2, ...OFF_CURVE_X) })],
  ["vhtlc.duplicate_pubkey", withParams({ receiver: Uint8Array.of(3, ...SENDER) })],
  ["vhtlc.invalid_preimage_hash", withParams({ preimageHash: new Uint8Array(32) })],
  ["vhtlc.invalid_preimage", () => h160FromPreimage(new Uint8Array(20))],
  ["vhtlc.invalid_payment_hash", () => h160FromPaymentHash(new Uint8Array(20))],
  ["vhtlc.refund_locktime_not_positive", withParams({ refundLocktime: 0n })],
  ["vhtlc.delay_blocks_ambiguous", withParams({ unilateralRefundDelay: { type: "blocks", value: 512n } })],
  ["vhtlc.invalid_server_info", check({}, { ...INFO, signerPubkey: "04zz" })],
  ["vhtlc.server_key_mismatch", check({ server: key(9) })],
  ["vhtlc.exit_delay_too_short", check({ unilateralClaimDelay: { type: "blocks", value: 19n } })],
  ["vhtlc.delay_type_mismatch", check({ unilateralRefundDelay: { type: "seconds", value: 86_016n } })],
  ["vhtlc.refund_locktime_type_mismatch", check({ refundLocktime: 600_000_000n })],
  ["address.invalid_encoding", () => decodeArkAddress(addr(payload(0)).slice(0, -1) + "q")],
  ["address.invalid_hrp", () => decodeArkAddress(addr(payload(0), "bc"))],
  ["address.invalid_version", () => decodeArkAddress(addr(payload(1)))],
  ["address.invalid_length", () => decodeArkAddress(addr(payload(0, SERVER)))],
  ["address.invalid_key", () => decodeArkAddress(addr(payload(0, Uint8Array.of(...SERVER, ...OFF_CURVE_X))))],
  ["address.unknown_network", () => arkHrp("mainnet")],
  ["address.network_mismatch", () => decodeArkAddress(addr(payload(0)), "bitcoin")],
];

/** The codes a thunk produced: the thrown error's, or the returned check's issue codes. */
function codesOf(fn: () => unknown): string[] {
  try {
    const out = fn() as { issues?: ReadonlyArray<{ code: string }> } | undefined;
    return out?.issues?.map((i) => i.code) ?? [];
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    return [e.code];
  }
}

describe("error catalog", () => {
  it("has exactly one table row per code", () => {
    expect(ROWS.map(([c]) => c).sort()).toEqual(Object.keys(SCRIPT_ERRORS).sort());
  });

  it.each(ROWS)("%s", (code, fn) => {
    expect(codesOf(fn)).toEqual([code]);
  });

  it("the base parameters are clean on both a block-typed and a seconds-typed server", () => {
    expect(validateVhtlcForServer(PARAMS, INFO)).toEqual({ valid: true, issues: [] });
    expect(codesOf(check({}, SECONDS_INFO))).toEqual([
      "vhtlc.delay_type_mismatch",
      "vhtlc.delay_type_mismatch",
      "vhtlc.delay_type_mismatch",
      "vhtlc.refund_locktime_type_mismatch",
    ]);
  });

  it("reports every problem together and assertVhtlcForServer throws the first with all in details", () => {
    const bad: VhtlcParams = {
      ...PARAMS,
      server: key(9),
      unilateralClaimDelay: { type: "blocks", value: 5n },
      unilateralRefundDelay: { type: "seconds", value: 1000n },
    };
    const { valid, issues } = validateVhtlcForServer(bad, INFO);
    expect(valid).toBe(false);
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ["timelock.seconds_not_multiple_of_512", "unilateralRefundDelay"],
      ["vhtlc.server_key_mismatch", "server"],
      ["vhtlc.exit_delay_too_short", "unilateralClaimDelay"],
    ]);
    let thrown: unknown;
    try {
      assertVhtlcForServer(bad, INFO);
    } catch (e) {
      thrown = e;
    }
    expect(isGatewayError(thrown, "timelock.seconds_not_multiple_of_512")).toBe(true);
    expect((thrown as { details: { issues: unknown[] } }).details.issues).toHaveLength(3);
  });

  it("compares the signer key x-only, whatever its prefix, and rounds the server delay like arkd", () => {
    expect(validateVhtlcForServer(PARAMS, { ...INFO, signerPubkey: `03${hex.encode(SERVER)}` }).valid).toBe(
      true,
    );
    expect(validateVhtlcForServer({ ...PARAMS, server: Uint8Array.of(3, ...SERVER) }, INFO).valid).toBe(true);
    // arkd reads 1000 s as 512 s: a 512 s delay is enough
    const info = { ...SECONDS_INFO, unilateralExitDelay: 1000n };
    const p: VhtlcParams = {
      ...PARAMS,
      refundLocktime: 1_800_000_000n,
      unilateralClaimDelay: { type: "seconds", value: 512n },
      unilateralRefundDelay: { type: "seconds", value: 512n },
      unilateralRefundWithoutReceiverDelay: { type: "seconds", value: 1024n },
    };
    expect(validateVhtlcForServer(p, info)).toEqual({ valid: true, issues: [] });
    expect(
      encodeArkAddress({ network: "bitcoin", serverKey: SERVER, vtxoOutputKey: buildVhtlc(p).outputKey }),
    ).toMatch(/^ark1/);
  });
});
