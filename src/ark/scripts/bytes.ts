import { schnorr } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { scriptError, type ScriptErrorCode } from "./errors.js";

/** True when `v` is a Uint8Array (not a Buffer subclass check: Buffers are Uint8Arrays too). */
export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Lexicographic byte comparison, as BIP-341 uses to order the two children of a branch. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** True when `x` is the x coordinate of a secp256k1 point (BIP-340 lift_x succeeds). */
export function isValidXOnly(x: Uint8Array): boolean {
  if (x.length !== 32) return false;
  try {
    schnorr.utils.lift_x(bytesToNumberBE(x));
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one x-only key of a closure, throwing `<prefix>.invalid_pubkey_length` or
 * `<prefix>.invalid_pubkey` with the field name in the details.
 */
export function assertXOnlyKey(key: unknown, field: string): asserts key is Uint8Array {
  if (!isBytes(key) || key.length !== 32) {
    throw scriptError("closure.invalid_pubkey_length", `${field}: expected a 32-byte x-only key`, {
      field,
      length: isBytes(key) ? key.length : null,
    });
  }
  if (!isValidXOnly(key)) {
    throw scriptError("closure.invalid_pubkey", `${field}: not a valid secp256k1 x coordinate`, { field });
  }
}

/** Checks `value` is a Uint8Array or throws the given code. */
export function assertBytes(
  value: unknown,
  field: string,
  code: ScriptErrorCode,
): asserts value is Uint8Array {
  if (!isBytes(value)) throw scriptError(code, `${field}: expected a Uint8Array`, { field });
}
