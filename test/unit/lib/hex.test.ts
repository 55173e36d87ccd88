import { describe, expect, it } from "vitest";
import {
  isCompressedPubkeyHex,
  isHex,
  isHex32,
  isLowerHex32,
  isP2trScriptHex,
  isTxidHex,
  isXOnlyPubkeyHex,
  xOnlyHexOf,
} from "../../../src/lib/hex.js";

const LOWER = "ab".repeat(32);
const UPPER = "AB".repeat(32);

describe("hex checks", () => {
  it("isHex: non-empty whole bytes, either case", () => {
    expect(isHex("00")).toBe(true);
    expect(isHex("aBcD")).toBe(true);
    expect(isHex("")).toBe(false);
    expect(isHex("abc")).toBe(false);
    expect(isHex("zz")).toBe(false);
    expect(isHex(12)).toBe(false);
  });

  it("isHex32 / isTxidHex / isXOnlyPubkeyHex: exactly 64 hex chars, either case", () => {
    for (const f of [isHex32, isTxidHex, isXOnlyPubkeyHex]) {
      expect(f(LOWER)).toBe(true);
      expect(f(UPPER)).toBe(true);
      expect(f(LOWER.slice(2))).toBe(false);
      expect(f(`${LOWER}00`)).toBe(false);
      expect(f(`${LOWER.slice(1)}g`)).toBe(false);
      expect(f(undefined)).toBe(false);
    }
  });

  it("isLowerHex32: lower-case only", () => {
    expect(isLowerHex32(LOWER)).toBe(true);
    expect(isLowerHex32(UPPER)).toBe(false);
    expect(isLowerHex32(`${LOWER.slice(1)}A`)).toBe(false);
    expect(isLowerHex32(LOWER.slice(2))).toBe(false);
  });

  it("isCompressedPubkeyHex: 02/03 + 32 bytes, either case", () => {
    expect(isCompressedPubkeyHex(`02${LOWER}`)).toBe(true);
    expect(isCompressedPubkeyHex(`03${UPPER}`)).toBe(true);
    expect(isCompressedPubkeyHex(`04${LOWER}`)).toBe(false);
    expect(isCompressedPubkeyHex(LOWER)).toBe(false);
    expect(isCompressedPubkeyHex(`02${LOWER}00`)).toBe(false);
  });

  it("xOnlyHexOf: the x-only part of a compressed or x-only key", () => {
    expect(xOnlyHexOf(LOWER)).toBe(LOWER);
    expect(xOnlyHexOf(`03${UPPER}`)).toBe(UPPER);
    expect(xOnlyHexOf(`04${LOWER}`)).toBeUndefined();
    expect(xOnlyHexOf(`02${LOWER.slice(1)}`)).toBeUndefined();
    expect(xOnlyHexOf(null)).toBeUndefined();
  });

  it("isP2trScriptHex: 5120 + 32 bytes", () => {
    expect(isP2trScriptHex(`5120${LOWER}`)).toBe(true);
    expect(isP2trScriptHex(`5120${UPPER}`)).toBe(true);
    expect(isP2trScriptHex(`0020${LOWER}`)).toBe(false);
    expect(isP2trScriptHex(`5120${LOWER}00`)).toBe(false);
  });
});
