import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  decodeAbsoluteTimelock,
  decodeClosure,
  decodeRelativeTimelock,
  encodeAbsoluteTimelock,
  encodeClosure,
  encodeCltvMultisig,
  encodeCsvMultisig,
  encodeRelativeTimelock,
  relativeTimelockFromNumber,
  type Closure,
  type RelativeTimelock,
} from "../../../../src/ark/scripts/index.js";
import { expectCode } from "./helpers.js";
import { RECEIVER, SENDER, SERVER } from "./fixtures-local.js";

const K = hex.encode(SENDER);
const tail = `20${K}ac`; // <SENDER> CHECKSIG
const blocks = (value: bigint): RelativeTimelock => ({ type: "blocks", value });
const seconds = (value: bigint): RelativeTimelock => ({ type: "seconds", value });

describe("relative timelocks (BIP-68)", () => {
  it.each([
    [blocks(1n), 1],
    [blocks(16n), 16],
    [blocks(17n), 17],
    [blocks(511n), 511],
    [blocks(65_535n), 65_535],
    [seconds(512n), 0x400001],
    [seconds(1024n), 0x400002],
    [seconds(512n * 65_535n), 0x40ffff],
  ])("%o ⇄ sequence %i", (t, seq) => {
    expect(encodeRelativeTimelock(t)).toBe(seq);
    expect(decodeRelativeTimelock(seq)).toEqual(t);
    expect(decodeRelativeTimelock(BigInt(seq))).toEqual(t);
  });

  it("reads bare numbers as arkd does: < 512 blocks, ≥ 512 seconds", () => {
    expect(relativeTimelockFromNumber(511n)).toEqual(blocks(511n));
    expect(relativeTimelockFromNumber(512n)).toEqual(seconds(512n));
    expectCode(() => relativeTimelockFromNumber(513n), "timelock.seconds_not_multiple_of_512");
    expectCode(() => relativeTimelockFromNumber(0n), "timelock.not_positive");
  });

  it.each([
    [0, "zero value"],
    [0x400000, "zero seconds"],
    [0x10005, "reserved bit 16"],
    [0x80000005, "disable flag"],
    [-1, "negative"],
    [2 ** 32, "above uint32"],
    [1.5, "not an integer"],
  ])("refuses sequence %i (%s)", (seq) => {
    expectCode(() => decodeRelativeTimelock(seq), "timelock.invalid_sequence");
  });
});

describe("absolute timelocks (CLTV)", () => {
  it("splits heights and unix times at 500,000,000", () => {
    expect(decodeAbsoluteTimelock(499_999_999n)).toEqual({ type: "blocks", value: 499_999_999n });
    expect(decodeAbsoluteTimelock(500_000_000n)).toEqual({ type: "seconds", value: 500_000_000n });
    expect(encodeAbsoluteTimelock({ type: "seconds", value: 0xffffffffn })).toBe(0xffffffffn);
    expectCode(
      () => encodeAbsoluteTimelock({ type: "blocks", value: 500_000_000n }),
      "timelock.absolute_out_of_range",
    );
    expectCode(
      () => encodeAbsoluteTimelock({ type: "seconds", value: 144n }),
      "timelock.absolute_out_of_range",
    );
    expectCode(() => decodeAbsoluteTimelock(0n), "timelock.not_positive");
  });
});

describe("closure encoding: minimal numbers", () => {
  it.each([
    [blocks(1n), "51"],
    [blocks(16n), "60"],
    [blocks(17n), "0111"],
    [blocks(127n), "017f"],
    [blocks(128n), "028000"],
    [blocks(511n), "02ff01"],
    [blocks(65_535n), "03ffff00"],
    [seconds(512n), "03010040"],
  ])("CSV %o is pushed as %s", (t, push) => {
    expect(hex.encode(encodeCsvMultisig(t, [SENDER]))).toBe(`${push}b275${tail}`);
  });

  it.each([
    [1n, "51"],
    [16n, "60"],
    [17n, "0111"],
    [265n, "020901"],
    [0x7fffffffn, "04ffffff7f"],
    [0x80000000n, "050000008000"],
    [0xffffffffn, "05ffffffff00"],
  ])("CLTV %i is pushed as %s", (locktime, push) => {
    expect(hex.encode(encodeCltvMultisig(locktime, [SENDER]))).toBe(`${push}b175${tail}`);
  });
});

describe("closure decoding", () => {
  const cond = Uint8Array.of(0xa9, 0x14, ...new Uint8Array(20).fill(1), 0x87);
  const closures: Closure[] = [
    { type: "multisig", pubkeys: [SENDER] },
    { type: "multisig", pubkeys: [SENDER, RECEIVER, SERVER] },
    { type: "csv-multisig", timelock: blocks(16n), pubkeys: [SENDER, SERVER] },
    { type: "csv-multisig", timelock: seconds(512n * 300n), pubkeys: [RECEIVER] },
    { type: "cltv-multisig", locktime: 5n, pubkeys: [SENDER, SERVER] },
    { type: "cltv-multisig", locktime: 1_700_000_000n, pubkeys: [SENDER] },
    { type: "condition-multisig", condition: cond, pubkeys: [RECEIVER, SERVER] },
    { type: "condition-csv-multisig", condition: cond, timelock: blocks(17n), pubkeys: [RECEIVER] },
    {
      type: "condition-csv-multisig",
      condition: Uint8Array.of(0x51),
      timelock: seconds(1024n),
      pubkeys: [SENDER],
    },
  ];

  it.each(closures.map((c) => [c.type, c] as const))("round-trips %s", (_type, c) => {
    const script = encodeClosure(c);
    const back = decodeClosure(script);
    expect(back).toEqual(c);
    expect(hex.encode(encodeClosure(back))).toBe(hex.encode(script));
  });

  it.each([
    ["16 pushed as data instead of OP_16", `0110b275${tail}`, "script.non_minimal_number"],
    ["17 with a padding byte", `021100b275${tail}`, "script.non_minimal_number"],
    ["PUSHDATA1 for a key", `4c20${K}ac`, "closure.unrecognized_script"],
    ["last key with CHECKSIGVERIFY", `20${K}ad`, "closure.unrecognized_script"],
    ["trailing opcode", `${tail}75`, "closure.unrecognized_script"],
    ["CHECKSIGADD multisig", `20${K}ac20${hex.encode(SERVER)}ba529c`, "closure.unrecognized_script"],
    ["CSV without DROP", `51b2${tail}`, "closure.unrecognized_script"],
    ["CLTV of zero", `00b175${tail}`, "timelock.not_positive"],
    ["CSV with the disable flag", `0500000080 00b275${tail}`.replace(" ", ""), "timelock.invalid_sequence"],
    ["condition with CHECKSIG", `51ac69${tail}`, "closure.forbidden_condition_opcode"],
    ["condition with CSV", `51b269${tail}`, "closure.forbidden_condition_opcode"],
    ["condition with CLTV", `51b169${tail}`, "closure.forbidden_condition_opcode"],
    ["condition with PUSHDATA1", `4c0101${"87"}69${tail}`, "closure.forbidden_condition_opcode"],
    ["empty condition", `69${tail}`, "closure.empty_condition"],
    ["OP_SUCCESS in condition", `bb69${tail}`, "closure.op_success"],
    ["truncated key push", `20${K.slice(0, 40)}`, "script.truncated_push"],
    ["empty script", "", "closure.unrecognized_script"],
  ])("refuses %s", (_what, scriptHex, code) => {
    expectCode(() => decodeClosure(hex.decode(scriptHex)), code);
  });
});
