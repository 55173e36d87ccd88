/**
 * Runs work in the caller's transaction when given one, else in a new one; a transaction of our
 * own that Postgres aborts as a deadlock victim or a serialization failure is run again.
 */
import type { Kysely } from "kysely";
import { pgErrorCode } from "./errors.js";
import type { DB } from "./schema.js";

/**
 * A repository's executor: a `Kysely<DB>` or a `Transaction<DB>` (which extends it).
 * Repositories that write several rows call `inTransaction` so those rows commit together.
 */
export type Executor = Kysely<DB>;

/**
 * SQLSTATEs after which Postgres has rolled the whole transaction (or statement) back and the
 * documented remedy is to run it again: 40P01 deadlock_detected, 40001 serialization_failure.
 */
const RETRY_SQLSTATES: ReadonlySet<string> = new Set(["40P01", "40001"]);

/** How often a transaction aborted by a deadlock is tried in all. */
export const CONFLICT_ATTEMPTS = 5;

/** Whether Postgres rolled `err`'s transaction back and asks for it to be run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code !== undefined && RETRY_SQLSTATES.has(code);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` (one autocommit statement, or a transaction of its own) again when Postgres aborts
 * it as a deadlock victim or a serialization failure: nothing of it was committed, so running it
 * again is safe. A short random pause lets the transaction that won go first. Any other error,
 * and the last conflict, are thrown as they are.
 * @param attempts tries in all
 */
export async function retryingConflicts<T>(work: () => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await pause(5 + Math.floor(Math.random() * 20 * attempt));
    }
  }
}

/**
 * Runs `work` in `db` when it is a transaction already (the caller owns the retry), else in a new
 * transaction that is run again when Postgres aborts it as a deadlock victim. `work` must do
 * nothing but database work on `tx`: it may run more than once.
 */
export async function inTransaction<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return retryingConflicts(() => db.transaction().execute(work));
}
