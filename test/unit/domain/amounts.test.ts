import { describe, expect, it } from "vitest";
import {
  addSats,
  assertSats,
  ceilDiv,
  formatBtc,
  MAX_SATS,
  msatToSatsCeil,
  msatToSatsExact,
  msatToSatsFloor,
  parseBtc,
  parseSats,
  satsToMsat,
  subSats,
} from "../../../src/domain/amounts.js";
import { isGatewayError } from "../../../src/domain/errors.js";

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isGatewayError(err) ? err.code : "not-a-gateway-error";
  }
};

describe("amounts", () => {
  it.each([
    { text: "0", sats: 0n },
    { text: "1", sats: 1n },
    { text: "2100000000000000", sats: MAX_SATS },
  ])("parseSats($text) = $sats", ({ text, sats }) => {
    expect(parseSats(text)).toBe(sats);
  });

  it.each([
    { text: "", error: "amount.invalid" },
    { text: "-1", error: "amount.invalid" },
    { text: "01", error: "amount.invalid" },
    { text: "1.5", error: "amount.invalid" },
    { text: "1e3", error: "amount.invalid" },
    { text: " 1", error: "amount.invalid" },
    { text: "2100000000000001", error: "amount.too_large" },
  ])("parseSats($text) throws $error", ({ text, error }) => {
    expect(code(() => parseSats(text))).toBe(error);
  });

  it.each([
    { text: "0.00000001", sats: 1n },
    { text: "1", sats: 100_000_000n },
    { text: "0.1", sats: 10_000_000n },
    { text: "21000000", sats: MAX_SATS },
    { text: "20999999.99999999", sats: MAX_SATS - 1n },
  ])("parseBtc($text) = $sats", ({ text, sats }) => {
    expect(parseBtc(text)).toBe(sats);
    expect(parseBtc(formatBtc(sats))).toBe(sats);
  });

  it.each(["0.000000001", "1.", ".5", "-0.1", "21000000.00000001", "1,5"])("parseBtc(%s) throws", (text) => {
    expect(code(() => parseBtc(text))).toMatch(/^amount\./);
  });

  it("formats with 8 decimals", () => {
    expect(formatBtc(12_345n)).toBe("0.00012345");
    expect(formatBtc(100_000_000n)).toBe("1.00000000");
  });

  it.each([
    { msat: 0n, floor: 0n, ceil: 0n },
    { msat: 1n, floor: 0n, ceil: 1n },
    { msat: 999n, floor: 0n, ceil: 1n },
    { msat: 1_000n, floor: 1n, ceil: 1n },
    { msat: 1_001n, floor: 1n, ceil: 2n },
  ])("msat $msat → floor $floor, ceil $ceil", ({ msat, floor, ceil }) => {
    expect(msatToSatsFloor(msat)).toBe(floor);
    expect(msatToSatsCeil(msat)).toBe(ceil);
  });

  it("converts exactly or refuses", () => {
    expect(satsToMsat(21n)).toBe(21_000n);
    expect(msatToSatsExact(21_000n)).toBe(21n);
    expect(code(() => msatToSatsExact(21_001n))).toBe("amount.not_whole_sats");
  });

  it("checks arithmetic bounds and types", () => {
    expect(addSats(1n, 2n)).toBe(3n);
    expect(code(() => addSats(MAX_SATS, 1n))).toBe("amount.too_large");
    expect(subSats(5n, 5n)).toBe(0n);
    expect(code(() => subSats(4n, 5n))).toBe("amount.negative");
    expect(code(() => assertSats(1 as unknown))).toBe("amount.invalid");
    expect(code(() => assertSats(-1n))).toBe("amount.negative");
    expect(ceilDiv(7n, 2n)).toBe(4n);
    expect(code(() => ceilDiv(1n, 0n))).toBe("amount.invalid");
  });
});
