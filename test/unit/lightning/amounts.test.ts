import { describe, expect, it } from "vitest";
import {
  msatToSatsCeil,
  msatToSatsFloor,
  parseMsat,
  parseOptionalMsat,
  satsToMsatString,
} from "../../../src/lightning/amounts.js";

describe("parseMsat", () => {
  const ok: { description: string; value: string; expected: bigint }[] = [
    { description: "zero", value: "0", expected: 0n },
    { description: "one msat", value: "1", expected: 1n },
    { description: "not divisible by 1000", value: "1001", expected: 1001n },
    { description: "21M BTC in msat", value: "2100000000000000000", expected: 2_100_000_000_000_000_000n },
    { description: "beyond 2^64", value: "18446744073709551617", expected: 18446744073709551617n },
    { description: "beyond Number precision", value: "9007199254740993", expected: 9007199254740993n },
  ];
  it.each(ok)("$description", ({ value, expected }) => {
    expect(parseMsat(value, "mtokens")).toBe(expected);
  });

  const bad: { description: string; value: unknown }[] = [
    { description: "a number (ln-service `tokens`)", value: 1000 },
    { description: "negative", value: "-1" },
    { description: "decimal point", value: "1.5" },
    { description: "exponent", value: "1e3" },
    { description: "leading zero", value: "01" },
    { description: "whitespace", value: " 1" },
    { description: "empty", value: "" },
    { description: "hex", value: "0x10" },
    { description: "undefined", value: undefined },
  ];
  it.each(bad)("rejects $description with ln.unexpected_response", ({ value }) => {
    expect(() => parseMsat(value, "mtokens")).toThrow(
      expect.objectContaining({ code: "ln.unexpected_response" }),
    );
  });

  it("reads an absent optional amount as zero", () => {
    expect(parseOptionalMsat(undefined, "x")).toBe(0n);
    expect(parseOptionalMsat("", "x")).toBe(0n);
    expect(parseOptionalMsat("5", "x")).toBe(5n);
  });
});

describe("msat to sats rounding", () => {
  const table: { msat: bigint; floor: bigint; ceil: bigint }[] = [
    { msat: 0n, floor: 0n, ceil: 0n },
    { msat: 1n, floor: 0n, ceil: 1n },
    { msat: 999n, floor: 0n, ceil: 1n },
    { msat: 1000n, floor: 1n, ceil: 1n },
    { msat: 1001n, floor: 1n, ceil: 2n },
    { msat: 121_500n, floor: 121n, ceil: 122n },
    { msat: 2_100_000_000_000_000_001n, floor: 2_100_000_000_000_000n, ceil: 2_100_000_000_000_001n },
  ];
  it.each(table)("$msat msat → floor $floor, ceil $ceil", ({ msat, floor, ceil }) => {
    expect(msatToSatsFloor(msat)).toBe(floor);
    expect(msatToSatsCeil(msat)).toBe(ceil);
  });

  it("converts sats to an exact msat string", () => {
    expect(satsToMsatString(0n)).toBe("0");
    expect(satsToMsatString(2_100_000_000_000_000n)).toBe("2100000000000000000");
  });
});
