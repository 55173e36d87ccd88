/**
 * Swaps in Postgres. Every state change goes through `transition`: a compare-and-set update of
 * the status (and optionally the version) plus one append-only event row, in one transaction
 * (ARCHITECTURE invariant 4). A stale or concurrent transition changes nothing and returns false.
 */
import { sql } from "kysely";
import type { NewSwap, PatchOf, Swap, SwapOf } from "../domain/swap-records.js";
import {
  INITIAL_STATUS,
  isStatusOf,
  statusesOf,
  TERMINAL_STATUSES,
  type StatusOf,
  type SwapType,
} from "../domain/swap-types.js";
import { dbError, pgErrorCode, PG_UNIQUE_VIOLATION } from "./errors.js";
import { toJsonText } from "./json.js";
import type { ReverseRow, SubmarineRow, SwapEventRow, SwapRow } from "./schema.js";
import {
  newReverseRow,
  newSubmarineRow,
  newSwapRow,
  reversePatchColumns,
  sharedPatchColumns,
  submarinePatchColumns,
  toSwap,
} from "./swap-mappers.js";
import type { Executor } from "./transaction.js";
import type { SwapEvent, SwapFilter, Transition } from "../swaps/ports/swap-store.js";

export type { SwapEvent, SwapFilter, Transition } from "../swaps/ports/swap-store.js";

/**
 * Inserts a new swap (shared + per-type row) in its initial status, with a "created" event.
 * @throws GatewayError `db.duplicate` when the id, payment hash or lockup address exists already
 */
export async function insertSwap(
  db: Executor,
  swap: NewSwap,
  data: Record<string, unknown> = {},
): Promise<Swap> {
  // One statement (data-modifying CTEs): the shared row, the per-type row and the "created"
  // event commit together or not at all, and the stored rows (with the database's defaults) come
  // back in the same round trip instead of a transaction of five statements and a read.
  const event = {
    swap_id: swap.id,
    from_status: null,
    to_status: INITIAL_STATUS[swap.type],
    event: "created",
    data: toJsonText(data),
  };
  let row: (SwapRow & (SubmarineRow | ReverseRow)) | undefined;
  try {
    const withSwap = db
      .with("s", (q) => q.insertInto("swaps").values(newSwapRow(swap)).returningAll())
      .with("e", (q) => q.insertInto("swap_events").values(event).returning("id"));
    row =
      swap.type === "submarine"
        ? await withSwap
            .with("d", (q) => q.insertInto("submarine_swaps").values(newSubmarineRow(swap)).returningAll())
            .selectFrom("s")
            .innerJoin("d", "d.swap_id", "s.id")
            .selectAll()
            .executeTakeFirst()
        : await withSwap
            .with("d", (q) => q.insertInto("reverse_swaps").values(newReverseRow(swap)).returningAll())
            .selectFrom("s")
            .innerJoin("d", "d.swap_id", "s.id")
            .selectAll()
            .executeTakeFirst();
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
      throw dbError(
        "db.duplicate",
        "a swap with this id, payment hash or lockup address exists already",
        { id: swap.id },
        err,
      );
    }
    throw err;
  }
  if (row === undefined) throw dbError("db.corrupt_row", `swap ${swap.id} vanished after insert`);
  // the detail columns never share a name with the swap's (swap_id, not id)
  return toSwap(row, row);
}

/**
 * Compare-and-set status change + event row, atomically, in ONE statement (data-modifying CTEs:
 * the status/version CAS on `swaps`, the patch of the per-type row and the event row all hang on
 * the CAS having matched a row, and commit together or not at all). One round trip instead of
 * BEGIN, three writes and COMMIT, and the swap as it is afterwards comes back with it.
 * @returns the swap after the change; undefined when the swap is not (any more) in `from` (or not
 *   at `expectedVersion`), in which case nothing was written
 * @throws GatewayError `db.invalid_argument` when a status does not belong to the type
 */
export async function transition<T extends SwapType>(
  db: Executor,
  t: Transition<T>,
): Promise<SwapOf[T] | undefined> {
  if (!isStatusOf(t.type, t.from) || !isStatusOf(t.type, t.to)) {
    throw dbError("db.invalid_argument", `"${t.from}" → "${t.to}" is not a pair of ${t.type} statuses`);
  }
  const details = t.type === "submarine" ? "submarine_swaps" : "reverse_swaps";
  const detailCols: Record<string, unknown> =
    t.type === "submarine"
      ? submarinePatchColumns(t.patch as PatchOf["submarine"] | undefined)
      : reversePatchColumns(t.patch as PatchOf["reverse"] | undefined);
  const version = t.expectedVersion === undefined ? sql`` : sql` and version = ${t.expectedVersion}`;
  // the detail row as it is after the change: updated by the CTE when patched, else as stored
  // (a CTE's changes are not visible to the rest of the statement through the table itself)
  const detail =
    Object.keys(detailCols).length > 0
      ? sql`, d as (update ${sql.table(details)} set ${assignments(detailCols)}
          where swap_id in (select id from s) returning *)`
      : sql``;
  const detailSource = Object.keys(detailCols).length > 0 ? sql`d` : sql`${sql.table(details)} d`;
  const shared: Record<string, unknown> = sharedPatchColumns(t.patch);
  const result = await sql<SwapRow & (SubmarineRow | ReverseRow)>`
    with s as (
      update swaps set ${Object.keys(shared).length > 0 ? sql`${assignments(shared)}, ` : sql``}
        status = ${t.to}, version = version + 1, updated_at = now()
      where id = ${t.id} and type = ${t.type} and status = ${t.from}${version}
      returning *
    )${detail}, e as (
      insert into swap_events (swap_id, from_status, to_status, event, data)
      select id, ${t.from}, ${t.to}, ${t.event}, ${toJsonText(t.data)}::jsonb from s
    )
    select s.*, d.* from s join ${detailSource} on d.swap_id = s.id`.execute(db);
  const row = result.rows[0];
  // the joined row holds both the shared and the per-type columns (no name is in both tables)
  return row === undefined ? undefined : (toSwap(row, row) as SwapOf[T]);
}

/** `col = value, col = value` of an UPDATE's SET list (values as parameters). */
function assignments(cols: Record<string, unknown>) {
  return sql.join(Object.entries(cols).map(([col, value]) => sql`${sql.ref(col)} = ${value}`));
}

/** The swap with this id, or undefined. @throws GatewayError `db.corrupt_row` */
export async function findSwap(db: Executor, id: string): Promise<Swap | undefined> {
  const row = await db.selectFrom("swaps").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) return undefined;
  return (await withDetails(db, [row]))[0];
}

/**
 * The swap with this id when it is of `type`, in one statement (the shared row joined with its
 * per-type row); undefined when no such swap of that type has both rows (ask {@link findSwap},
 * which tells a missing swap from a corrupt one).
 */
export async function findSwapOfType<T extends SwapType>(
  db: Executor,
  id: string,
  type: T,
): Promise<SwapOf[T] | undefined> {
  const row =
    type === "submarine"
      ? await db
          .selectFrom("swaps as s")
          .innerJoin("submarine_swaps as d", "d.swap_id", "s.id")
          .selectAll()
          .where("s.id", "=", id)
          .where("s.type", "=", type)
          .executeTakeFirst()
      : await db
          .selectFrom("swaps as s")
          .innerJoin("reverse_swaps as d", "d.swap_id", "s.id")
          .selectAll()
          .where("s.id", "=", id)
          .where("s.type", "=", type)
          .executeTakeFirst();
  // the joined row holds both the shared and the per-type columns (no name is in both tables)
  return row === undefined ? undefined : (toSwap(row, row) as SwapOf[T]);
}

/** The swap with this payment hash, or undefined. @throws GatewayError `db.corrupt_row` */
export async function findSwapByPaymentHash(db: Executor, paymentHash: string): Promise<Swap | undefined> {
  const row = await db
    .selectFrom("swaps")
    .selectAll()
    .where("payment_hash", "=", paymentHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return (await withDetails(db, [row]))[0];
}

/** Swaps of `type` in any of `statuses`, oldest first. @throws GatewayError `db.corrupt_row` */
export async function listSwapsByStatus<T extends SwapType>(
  db: Executor,
  type: T,
  statuses: readonly StatusOf[T][],
): Promise<SwapOf[T][]> {
  if (statuses.length === 0) return [];
  const rows = await db
    .selectFrom("swaps")
    .selectAll()
    .where("type", "=", type)
    .where("status", "in", statuses as readonly string[])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return (await withDetails(db, rows)) as SwapOf[T][];
}

/** Swaps the engine still works on (not terminal), for resuming and reconciling. */
export async function listOpenSwaps<T extends SwapType>(db: Executor, type: T): Promise<SwapOf[T][]> {
  const terminal = TERMINAL_STATUSES[type] as ReadonlySet<StatusOf[T]>;
  return listSwapsByStatus(
    db,
    type,
    statusesOf(type).filter((s) => !terminal.has(s)),
  );
}

/** Swaps matching `filter`, newest first. @throws GatewayError `db.corrupt_row` */
export async function listSwaps(db: Executor, filter: SwapFilter = {}): Promise<Swap[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
  let query = db.selectFrom("swaps").selectAll();
  if (filter.type !== undefined) query = query.where("type", "=", filter.type);
  if (filter.pubkey !== undefined) {
    const key = filter.pubkey;
    query = query.where((eb) => eb.or([eb("sender_pubkey", "=", key), eb("receiver_pubkey", "=", key)]));
  }
  if (filter.openOnly === true) {
    const open = (type: SwapType) =>
      (statusesOf(type) as readonly string[]).filter(
        (s) => !(TERMINAL_STATUSES[type] as ReadonlySet<string>).has(s),
      );
    query = query.where((eb) =>
      eb.or([
        eb.and([eb("type", "=", "submarine"), eb("status", "in", open("submarine"))]),
        eb.and([eb("type", "=", "reverse"), eb("status", "in", open("reverse"))]),
      ]),
    );
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
  return withDetails(db, rows);
}

/** The event log of a swap, oldest first. */
export async function listSwapEvents(db: Executor, swapId: string): Promise<SwapEvent[]> {
  const rows = await db
    .selectFrom("swap_events")
    .selectAll()
    .where("swap_id", "=", swapId)
    .orderBy("id")
    .execute();
  return rows.map(toSwapEvent);
}

function toSwapEvent(row: SwapEventRow): SwapEvent {
  return {
    id: row.id,
    swapId: row.swap_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    event: row.event,
    data: row.data,
    createdAt: row.created_at,
  };
}

async function withDetails(db: Executor, rows: readonly SwapRow[]): Promise<Swap[]> {
  const ids = (type: SwapType) => rows.filter((r) => r.type === type).map((r) => r.id);
  const submarineIds = ids("submarine");
  const reverseIds = ids("reverse");
  const details = new Map<string, SubmarineRow | ReverseRow>();
  if (submarineIds.length > 0) {
    for (const d of await db
      .selectFrom("submarine_swaps")
      .selectAll()
      .where("swap_id", "in", submarineIds)
      .execute()) {
      details.set(d.swap_id, d);
    }
  }
  if (reverseIds.length > 0) {
    for (const d of await db
      .selectFrom("reverse_swaps")
      .selectAll()
      .where("swap_id", "in", reverseIds)
      .execute()) {
      details.set(d.swap_id, d);
    }
  }
  return rows.map((row) => toSwap(row, details.get(row.id)));
}
