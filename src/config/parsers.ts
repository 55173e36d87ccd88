/**
 * Parsers for config values. Env values are strings; JSON file values may be strings, numbers
 * or booleans. Amounts and chain values become bigint; a JSON number is accepted only when it
 * is a safe integer (no silent float rounding).
 */
import { parsePercentToPpm } from "../domain/fees.js";
import type { Parser } from "./field-reader.js";

function text(raw: unknown): string {
  if (typeof raw === "string") return raw.trim();
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  throw new Error(`expected a string, got ${Array.isArray(raw) ? "an array" : typeof raw}`);
}

export const nonEmptyString: Parser<string> = (raw) => {
  const value = text(raw);
  if (value === "") throw new Error("must not be empty");
  return value;
};

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const value = text(raw);
    if (!(values as readonly string[]).includes(value)) {
      throw new Error(`must be one of ${values.join(", ")}, got "${value}"`);
    }
    return value as T;
  };
}

/** A bigint in [min, max]; from a decimal string or a safe-integer JSON number. */
export function integer(min: bigint, max: bigint): Parser<bigint> {
  return (raw) => {
    if (typeof raw === "number" && !Number.isSafeInteger(raw))
      throw new Error(`must be an integer, got ${raw}`);
    const value = text(raw);
    if (!/^-?[0-9]+$/.test(value)) throw new Error(`must be an integer, got "${value}"`);
    const parsed = BigInt(value);
    if (parsed < min || parsed > max) throw new Error(`must be in [${min}, ${max}], got ${parsed}`);
    return parsed;
  };
}

/** A TCP port (0 = any free port). */
export const port: Parser<number> = (raw) => Number(integer(0n, 65_535n)(raw));

/** A percentage with at most 4 decimals, as ppm, at most `maxPercent`. */
export function percentAsPpm(maxPercent: bigint): Parser<bigint> {
  return (raw) => {
    const value = text(raw);
    let ppm: bigint;
    try {
      ppm = parsePercentToPpm(value);
    } catch {
      throw new Error(`must be a percentage like "0.35" (≤ 4 decimals), got "${value}"`);
    }
    if (ppm > maxPercent * 10_000n) throw new Error(`must be at most ${maxPercent} %, got ${value} %`);
    return ppm;
  };
}

/** An http(s) URL with a host; a bare `host:port` is read as `http://host:port`. */
export const httpUrl: Parser<string> = (raw) => {
  const value = text(raw);
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`must be a URL like http://127.0.0.1:7070, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`must be http(s), got "${url.protocol}"`);
  if (url.hostname === "") throw new Error("must name a host");
  return withScheme.replace(/\/+$/, "");
};

/** `host:port` (IPv6 hosts in brackets). */
export const hostPort: Parser<string> = (raw) => {
  const value = text(raw);
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(value);
  if (match === null || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
    throw new Error(`must be host:port, got "${value}"`);
  }
  return value;
};

export const postgresUrl: Parser<string> = (raw) => {
  const value = text(raw);
  if (!/^postgres(ql)?:\/\/\S+$/.test(value)) throw new Error("must be a postgres:// or postgresql:// URL");
  return value;
};

/** Standard base64 (how LND's cert and macaroon are given inline), non-empty. */
export const base64: Parser<string> = (raw) => {
  const value = text(raw).replace(/\s+/g, "");
  if (value === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new Error("must be non-empty standard base64");
  }
  return value;
};
