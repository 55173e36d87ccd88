import { scriptError, type ScriptErrorCode } from "./errors.js";
import { concatBytes, compareBytes, equalBytes, isBytes, toHex } from "../../lib/bytes.js";
import { isValidXOnly } from "../../lib/secp256k1-keys.js";

export { concatBytes, compareBytes, equalBytes, isBytes, toHex, isValidXOnly };

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
