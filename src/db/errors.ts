/**
 * Error codes of the database layer. A db error raised over a foreign error (pg's, a socket's,
 * kysely's) says in its own message what that error said: the Postgres message, its detail and
 * SQLSTATE, or the socket error. The CLI prints a message's first line and the logs carry
 * messages, so "migration failed" never reaches an operator without its reason.
 */
import { errorFactory, isGatewayError, type GatewayError } from "../domain/errors.js";

export const DB_ERRORS = {
  "db.invalid_config": { httpStatus: 500, retryable: false },
  "db.unavailable": { httpStatus: 503, retryable: true },
  "db.migration_failed": { httpStatus: 500, retryable: false },
  "db.corrupt_row": { httpStatus: 500, retryable: false },
  "db.duplicate": { httpStatus: 409, retryable: false },
  "db.invalid_argument": { httpStatus: 500, retryable: false },
} as const;

export type DbErrorCode = keyof typeof DB_ERRORS;

const makeDbError = errorFactory(DB_ERRORS);

/** A SQLSTATE: five digits or upper-case letters (pg puts it in `code`). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Postgres error code of a pg error (e.g. "23505" unique violation), if any. */
export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function field(err: object, key: string): string | undefined {
  const value = (err as Record<string, unknown>)[key];
  return typeof value === "string" && value.trim() !== "" ? oneLine(value) : undefined;
}

/**
 * What a foreign error says, on one line: `relation "swaps" already exists [SQLSTATE 42P07]`,
 * `connect ECONNREFUSED 127.0.0.1:1`. A GatewayError's message is returned as it is; an
 * AggregateError (Node's connect to several addresses) gives its inner errors' messages.
 * @returns undefined for an error that says nothing
 */
export function describeDbCause(err: unknown): string | undefined {
  if (err === undefined || err === null) return undefined;
  if (isGatewayError(err)) return oneLine(err.message);
  if (typeof err !== "object") return oneLine(String(err)) || undefined;
  let text = field(err, "message") ?? "";
  if (text === "" && err instanceof AggregateError) {
    const inner = err.errors.map((e) => describeDbCause(e)).filter((t): t is string => t !== undefined);
    text = [...new Set(inner)].join("; ");
  }
  const detail = field(err, "detail");
  if (detail !== undefined && !text.includes(detail)) text = text === "" ? detail : `${text} (${detail})`;
  const code = pgErrorCode(err);
  if (code !== undefined && SQLSTATE.test(code)) text = `${text} [SQLSTATE ${code}]`.trim();
  else if (code !== undefined && !text.includes(code)) text = `${text} [${code}]`.trim();
  if (text === "" && err instanceof Error) text = err.name;
  return text === "" ? undefined : text;
}

/**
 * Builds a db error. With a cause, the message ends with what the cause says (see
 * {@link describeDbCause}) unless it says it already, and details.sqlState holds the Postgres
 * error code when there is one; the cause stays attached (`err.cause`).
 * @param code a code of DB_ERRORS
 * @param message what failed, in our words
 */
export function dbError(
  code: DbErrorCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): GatewayError {
  const said = describeDbCause(cause);
  const sqlState = pgErrorCode(cause);
  const fullMessage = said === undefined || message.includes(said) ? message : `${message}: ${said}`;
  const fullDetails = sqlState !== undefined && SQLSTATE.test(sqlState) ? { ...details, sqlState } : details;
  return makeDbError(code, fullMessage, fullDetails, cause);
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_CHECK_VIOLATION = "23514";
