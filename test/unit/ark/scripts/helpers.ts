import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hex } from "@scure/base";
import { expect } from "vitest";
import { isGatewayError } from "../../../../src/domain/errors.js";
import type { RelativeTimelock, VhtlcParams } from "../../../../src/ark/scripts/index.js";

/** The VHTLC vectors, in the repository (test/fixtures/README.md says where they came from). */
export const FIXTURE_DIR = fileURLToPath(new URL("../../../fixtures/vhtlc/", import.meta.url));
export const FIXTURE_FILES = ["vhtlc-vectors-fulmine.json", "vhtlc-vectors-ts-sdk.json"] as const;

export interface FixtureDelay {
  type: "blocks" | "seconds";
  value: number;
}
export interface FixtureCase {
  description: string;
  preimageHash: string;
  receiver: string;
  sender: string;
  server: string;
  refundLocktime: number;
  unilateralClaimDelay: FixtureDelay;
  unilateralRefundDelay: FixtureDelay;
  unilateralRefundWithoutReceiverDelay: FixtureDelay;
  expected?: string;
  error?: string;
  expectedTapTree?: { root: string; merkleProofs: Record<string, { controlBlock: string }> };
  scripts?: Record<string, string>;
  taproot?: { tweakedPublicKey: string; tapTree: string; internalKey: string };
  decodedScripts?: Record<string, string>;
}
export interface FixtureFile {
  valid: FixtureCase[];
  invalid: FixtureCase[];
}

export function loadFixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}${name}`, "utf8")) as FixtureFile;
}

const delay = (d: FixtureDelay): RelativeTimelock => ({ type: d.type, value: BigInt(d.value) });

/** Fixture parameters in our form (33-byte compressed keys as given). */
export function fixtureParams(c: FixtureCase): VhtlcParams {
  return {
    sender: hex.decode(c.sender),
    receiver: hex.decode(c.receiver),
    server: hex.decode(c.server),
    preimageHash: hex.decode(c.preimageHash),
    refundLocktime: BigInt(c.refundLocktime),
    unilateralClaimDelay: delay(c.unilateralClaimDelay),
    unilateralRefundDelay: delay(c.unilateralRefundDelay),
    unilateralRefundWithoutReceiverDelay: delay(c.unilateralRefundWithoutReceiverDelay),
  };
}

/** Runs `fn`, expecting a GatewayError with `code`; returns the error for further checks. */
export function expectCode(fn: () => unknown, code: string) {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code} to be thrown`).toBeDefined();
  expect(isGatewayError(caught) ? caught.code : caught).toBe(code);
  if (!isGatewayError(caught)) throw new Error("unreachable");
  return caught;
}

/** sfc32: small, fast, seedable PRNG so property-test failures reproduce from the printed seed. */
export function prng(seed: number) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    u32: next,
    /** Integer in [min, max] (both inclusive, max - min < 2^32). */
    int: (min: number, max: number): number => min + (next() % (max - min + 1)),
    bytes: (n: number): Uint8Array => Uint8Array.from({ length: n }, () => next() & 0xff),
    pick: <T>(xs: readonly T[]): T => xs[next() % xs.length] as T,
    bool: (): boolean => (next() & 1) === 1,
  };
}

/** Seed for property tests: SCRIPTS_SEED env var to reproduce, else a fresh one (printed on failure). */
export function testSeed(): number {
  const env = process.env.SCRIPTS_SEED;
  return env !== undefined ? Number(env) >>> 0 : (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
}
