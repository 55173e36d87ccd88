/** Runs work in the caller's transaction when given one, else in a new one. */
import type { Kysely } from "kysely";
import type { DB } from "./schema.js";

/**
 * A repository's executor: a `Kysely<DB>` or a `Transaction<DB>` (which extends it).
 * Repositories that write several rows call `inTransaction` so those rows commit together.
 */
export type Executor = Kysely<DB>;

export async function inTransaction<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
