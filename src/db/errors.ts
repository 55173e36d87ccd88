/** Error codes of the database layer. */
import { errorFactory } from "../domain/errors.js";

export const DB_ERRORS = {
  "db.invalid_config": { httpStatus: 500, retryable: false },
  "db.unavailable": { httpStatus: 503, retryable: true },
  "db.migration_failed": { httpStatus: 500, retryable: false },
  "db.corrupt_row": { httpStatus: 500, retryable: false },
  "db.duplicate": { httpStatus: 409, retryable: false },
  "db.invalid_argument": { httpStatus: 500, retryable: false },
} as const;

export const dbError = errorFactory(DB_ERRORS);

/** Postgres error code of a pg error (e.g. "23505" unique violation), if any. */
export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_CHECK_VIOLATION = "23514";
