/**
 * Small request-schema helpers: each schema both validates an untrusted JSON value (returning a
 * typed, normalised value) and describes itself as JSON Schema, so the OpenAPI document is
 * generated from the very schemas that guard the routes. Objects refuse unknown fields and list
 * every problem in `details.issues`; the error code is the first problem's.
 */
import { GatewayError } from "../../domain/errors.js";
import { apiError, type ApiErrorCode } from "./errors.js";

/** A JSON Schema fragment (OpenAPI 3.1 uses JSON Schema 2020-12). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface Schema<T> {
  /** JSON Schema of the accepted values. */
  readonly json: JsonSchema;
  /**
   * Validates and normalises `value`.
   * @param path where the value sits, for messages ("invoice", "body")
   * @throws GatewayError `request.*`
   */
  parse(value: unknown, path: string): T;
}

/** One validation problem. */
export interface Issue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Throws the API error `code` for the value at `path`. */
export function invalid(code: ApiErrorCode, path: string, message: string): never {
  throw apiError(code, `${path}: ${message}`, { issues: [{ path, code, message }] });
}

/**
 * A string, limited in length and optionally in shape.
 * @param opts.maxLength longest accepted string (characters)
 * @param opts.check extra validation/normalisation run after the type check
 */
export function string(
  opts: {
    maxLength?: number;
    json?: JsonSchema;
    check?: (s: string, path: string) => string;
  } = {},
): Schema<string> {
  const { maxLength = 1024 } = opts;
  return {
    json: { type: "string", maxLength, ...opts.json },
    parse(value, path) {
      if (typeof value !== "string") invalid("request.invalid_type", path, "must be a string");
      if (value.length > maxLength)
        invalid("request.too_long", path, `must be at most ${maxLength} characters`);
      return opts.check === undefined ? value : opts.check(value, path);
    },
  };
}

/** A string that must equal one of `values` exactly. */
export function literal<const V extends string>(values: readonly V[], code: ApiErrorCode): Schema<V> {
  return {
    json: { type: "string", enum: [...values] },
    parse(value, path) {
      if (typeof value !== "string") invalid("request.invalid_type", path, "must be a string");
      if (!(values as readonly string[]).includes(value)) {
        invalid(code, path, `must be ${values.map((v) => JSON.stringify(v)).join(" or ")}`);
      }
      return value as V;
    },
  };
}

/**
 * A JSON number that is a positive whole number no larger than `max` (and always within
 * Number.MAX_SAFE_INTEGER), returned as bigint.
 * @throws GatewayError `request.invalid_type` (not a number), `request.invalid_amount`
 */
export function positiveSats(max: bigint): Schema<bigint> {
  const limit = max < BigInt(Number.MAX_SAFE_INTEGER) ? max : BigInt(Number.MAX_SAFE_INTEGER);
  return {
    json: { type: "integer", minimum: 1, maximum: Number(limit), description: "satoshis" },
    parse(value, path) {
      if (typeof value !== "number") invalid("request.invalid_type", path, "must be a number");
      if (!Number.isSafeInteger(value) || value < 1 || BigInt(value) > limit) {
        invalid("request.invalid_amount", path, `must be a whole number of sats in [1, ${limit}]`);
      }
      return BigInt(value);
    },
  };
}

/**
 * A JSON array of `minItems`..`maxItems` items, each checked by `item`; every bad item is
 * reported (path `field[i]`).
 * @throws GatewayError `request.invalid_type` (not an array, or too few items),
 *   `request.too_many_items`, or the items' own codes
 */
export function array<T>(item: Schema<T>, opts: { minItems: number; maxItems: number }): Schema<T[]> {
  const { minItems, maxItems } = opts;
  return {
    json: { type: "array", items: item.json, minItems, maxItems },
    parse(value, path) {
      if (!Array.isArray(value)) invalid("request.invalid_type", path, "must be an array");
      if (value.length > maxItems)
        invalid("request.too_many_items", path, `must hold at most ${maxItems} items, not ${value.length}`);
      if (value.length < minItems)
        invalid("request.invalid_type", path, `must hold at least ${minItems} items`);
      const out: T[] = [];
      const issues: Issue[] = [];
      value.forEach((v: unknown, i) => {
        try {
          out.push(item.parse(v, `${path}[${i}]`));
        } catch (err) {
          issues.push(...issuesOf(err, `${path}[${i}]`));
        }
      });
      throwIssues(issues);
      return out;
    },
  };
}

/** Rules between an object's fields, checked once each field is valid on its own. */
export interface ObjectRules {
  /** Groups of fields of which at most one may be sent (`request.conflicting_fields`). */
  readonly exclusive?: readonly (readonly string[])[];
  /** Groups of fields of which at least one must be sent (`request.missing_field`). */
  readonly oneRequired?: readonly (readonly string[])[];
}

/** The parsed value of an object schema: required fields, optional fields possibly undefined. */
export type ObjectValue<R, O> = { [K in keyof R]: R[K] extends Schema<infer T> ? T : never } & {
  [K in keyof O]?: O[K] extends Schema<infer T> ? T : never;
};

/**
 * A JSON object with the given required and optional fields; any other key is refused
 * (`request.unknown_field`). A missing required field, or `null` for any field, is
 * `request.missing_field` / `request.invalid_type`.
 * @param notObjectCode code when the value is not an object (`request.invalid_body` for a body)
 */
export function object<R extends Record<string, Schema<unknown>>, O extends Record<string, Schema<unknown>>>(
  required: R,
  optional: O,
  notObjectCode: ApiErrorCode = "request.invalid_type",
  rules: ObjectRules = {},
): Schema<ObjectValue<R, O>> {
  const properties: Record<string, JsonSchema> = {};
  for (const [k, s] of [...Object.entries(required), ...Object.entries(optional)]) properties[k] = s.json;
  return {
    json: {
      type: "object",
      required: Object.keys(required),
      properties,
      additionalProperties: false,
      ...rulesJson(rules),
    },
    parse(value, path) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        invalid(notObjectCode, path, "must be a JSON object");
      }
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const issues: Issue[] = [];
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) {
          issues.push({ path: key, code: "request.unknown_field", message: "is not a known field" });
        }
      }
      const visit = (key: string, schema: Schema<unknown>, isRequired: boolean): void => {
        const present = Object.hasOwn(input, key);
        if (!present) {
          if (isRequired) issues.push({ path: key, code: "request.missing_field", message: "is required" });
          return;
        }
        try {
          out[key] = schema.parse(input[key], key);
        } catch (err) {
          issues.push(...issuesOf(err, key));
        }
      };
      for (const [k, s] of Object.entries(required)) visit(k, s, true);
      for (const [k, s] of Object.entries(optional)) visit(k, s, false);
      issues.push(...ruleIssues(rules, input));
      throwIssues(issues);
      return out as ObjectValue<R, O>;
    },
  };
}

/** The JSON Schema of the rules: `allOf` of `not {required}` and `anyOf` of `{required}` parts. */
function rulesJson(rules: ObjectRules): JsonSchema {
  const parts: JsonSchema[] = [
    ...(rules.exclusive ?? []).flatMap((group) => pairs(group).map((pair) => ({ not: { required: pair } }))),
    ...(rules.oneRequired ?? []).map((group) => ({ anyOf: group.map((k) => ({ required: [k] })) })),
  ];
  return parts.length === 0 ? {} : { allOf: parts };
}

function ruleIssues(rules: ObjectRules, input: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const group of rules.exclusive ?? []) {
    const sent = group.filter((k) => Object.hasOwn(input, k));
    if (sent.length > 1) {
      issues.push({
        path: sent.join(","),
        code: "request.conflicting_fields",
        message: `only one of ${sent.join(", ")} may be sent`,
      });
    }
  }
  for (const group of rules.oneRequired ?? []) {
    if (!group.some((k) => Object.hasOwn(input, k))) {
      issues.push({
        path: group.join(","),
        code: "request.missing_field",
        message: `one of ${group.join(", ")} is required`,
      });
    }
  }
  return issues;
}

function pairs(group: readonly string[]): string[][] {
  return group.flatMap((a, i) => group.slice(i + 1).map((b) => [a, b]));
}

/** Throws the 400 for `issues` (code of the first, every message), if any. */
function throwIssues(issues: readonly Issue[]): void {
  const first = issues[0];
  if (first === undefined) return;
  const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new GatewayError(first.code, message, {
    spec: { httpStatus: 400, retryable: false },
    details: { issues },
  });
}

function issuesOf(err: unknown, path: string): Issue[] {
  if (err instanceof GatewayError) {
    const nested = err.details?.["issues"];
    if (Array.isArray(nested)) return nested as Issue[];
    return [{ path, code: err.code, message: err.message }];
  }
  throw err;
}
