/**
 * The gateway's own VTXOs. State changes are compare-and-set on the state, so two workers never
 * both reserve or spend one VTXO.
 */
import { sql } from "kysely";
import { dbError } from "./errors.js";
import type { WalletVtxoRow } from "./schema.js";
import type { Executor } from "./transaction.js";

export const VTXO_STATES = ["pending", "spendable", "reserved", "spent", "swept"] as const;
export type VtxoState = (typeof VTXO_STATES)[number];

export interface WalletVtxo {
  /** `txid:vout`. */
  readonly outpoint: string;
  readonly amountSats: bigint;
  /** P2TR scriptPubKey, hex. */
  readonly script: string;
  readonly state: VtxoState;
  /** What reserved it (a swap id or an internal job), while reserved. */
  readonly reservedFor: string | null;
  /** The ark txid that spent it. */
  readonly spentBy: string | null;
  /** Absolute expiry of its batch (height or unix time), when known. */
  readonly batchExpiry: bigint | null;
  /** arkd's expires_at (unix seconds): arkd refuses offchain spends after it. */
  readonly offchainUntil: bigint | null;
  readonly commitmentTxids: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type NewWalletVtxo = Pick<WalletVtxo, "outpoint" | "amountSats" | "script" | "state"> &
  Partial<Pick<WalletVtxo, "batchExpiry" | "offchainUntil" | "commitmentTxids">>;

/** Records a VTXO; an already known outpoint is left as it is. @returns whether it was new */
export async function insertVtxo(db: Executor, vtxo: NewWalletVtxo): Promise<boolean> {
  const result = await db
    .insertInto("wallet_vtxos")
    .values({
      outpoint: vtxo.outpoint,
      amount_sats: vtxo.amountSats,
      script: vtxo.script,
      state: vtxo.state,
      batch_expiry: vtxo.batchExpiry ?? null,
      offchain_until: vtxo.offchainUntil ?? null,
      commitment_txids: [...(vtxo.commitmentTxids ?? [])],
    })
    .onConflict((oc) => oc.column("outpoint").doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Moves a VTXO from one state to another if it is still in `from`.
 * @returns false (nothing changed) when the VTXO is not in `from`
 */
export async function updateVtxoState(
  db: Executor,
  change: {
    outpoint: string;
    from: VtxoState;
    to: VtxoState;
    reservedFor?: string | null;
    spentBy?: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("wallet_vtxos")
    .set({
      state: change.to,
      updated_at: sql<Date>`now()`,
      ...(change.reservedFor === undefined ? {} : { reserved_for: change.reservedFor }),
      ...(change.spentBy === undefined ? {} : { spent_by: change.spentBy }),
    })
    .where("outpoint", "=", change.outpoint)
    .where("state", "=", change.from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** VTXOs in any of `states`, largest first. */
export async function listVtxos(db: Executor, states: readonly VtxoState[]): Promise<WalletVtxo[]> {
  if (states.length === 0) return [];
  const rows = await db
    .selectFrom("wallet_vtxos")
    .selectAll()
    .where("state", "in", states)
    .orderBy("amount_sats", "desc")
    .orderBy("outpoint")
    .execute();
  return rows.map(toWalletVtxo);
}

export async function findVtxo(db: Executor, outpoint: string): Promise<WalletVtxo | undefined> {
  const row = await db
    .selectFrom("wallet_vtxos")
    .selectAll()
    .where("outpoint", "=", outpoint)
    .executeTakeFirst();
  return row === undefined ? undefined : toWalletVtxo(row);
}

function toWalletVtxo(row: WalletVtxoRow): WalletVtxo {
  if (!(VTXO_STATES as readonly string[]).includes(row.state)) {
    throw dbError("db.corrupt_row", `VTXO ${row.outpoint} has unknown state "${row.state}"`);
  }
  return {
    outpoint: row.outpoint,
    amountSats: row.amount_sats,
    script: row.script,
    state: row.state as VtxoState,
    reservedFor: row.reserved_for,
    spentBy: row.spent_by,
    batchExpiry: row.batch_expiry,
    offchainUntil: row.offchain_until,
    commitmentTxids: Object.freeze([...row.commitment_txids]),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
