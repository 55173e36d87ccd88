/**
 * BoardingStore over the liquidity_boardings table (raw SQL through kysely: the table is this
 * module's own). Every transition is compare-and-set on the status, so a replay changes nothing.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "./schema.js";
import type { BoardingRecord, BoardingStatus, BoardingStore } from "../liquidity/ports.js";

interface Row {
  id: string;
  amount_sats: bigint;
  address: string;
  status: BoardingStatus;
  txid: string | null;
  vout: number | null;
  commitment_txid: string | null;
  vtxo_outpoint: string | null;
  vtxo_sats: bigint | null;
  fee_sats: bigint | null;
  last_error: string | null;
  created_at: Date;
}

function toRecord(r: Row): BoardingRecord {
  return {
    id: r.id,
    amountSats: BigInt(r.amount_sats),
    address: r.address,
    status: r.status,
    txid: r.txid ?? undefined,
    vout: r.vout ?? undefined,
    commitmentTxid: r.commitment_txid ?? undefined,
    vtxoOutpoint: r.vtxo_outpoint ?? undefined,
    vtxoSats: r.vtxo_sats === null ? undefined : BigInt(r.vtxo_sats),
    feeSats: r.fee_sats === null ? undefined : BigInt(r.fee_sats),
    lastError: r.last_error ?? undefined,
    createdAt: r.created_at,
  };
}

/** A BoardingStore on the gateway's database. */
export function createPgBoardingStore(db: Kysely<DB>): BoardingStore {
  return {
    async create(r) {
      await sql`insert into liquidity_boardings (id, amount_sats, address, status)
        values (${r.id}, ${r.amountSats.toString()}, ${r.address}, 'sending')`.execute(db);
    },
    async markSent(id, txid) {
      await sql`update liquidity_boardings set status = 'sent', txid = ${txid}, updated_at = now()
        where id = ${id} and status = 'sending'`.execute(db);
    },
    async noteCommitment(id, commitmentTxid) {
      await sql`update liquidity_boardings set commitment_txid = ${commitmentTxid}, updated_at = now()
        where id = ${id} and status = 'sent'`.execute(db);
    },
    async setVout(id, vout) {
      await sql`update liquidity_boardings set vout = ${vout}, updated_at = now() where id = ${id}`.execute(
        db,
      );
    },
    async markBoarded(id, r) {
      await sql`update liquidity_boardings set status = 'boarded', commitment_txid = ${r.commitmentTxid},
        vtxo_outpoint = ${r.vtxoOutpoint}, vtxo_sats = ${r.vtxoSats.toString()}, fee_sats = ${r.feeSats.toString()},
        last_error = null, updated_at = now()
        where id = ${id} and status = 'sent'`.execute(db);
    },
    async markFailed(id, reason) {
      await sql`update liquidity_boardings set status = 'failed', last_error = ${reason}, updated_at = now()
        where id = ${id} and status = 'sending'`.execute(db);
    },
    async noteError(id, reason) {
      await sql`update liquidity_boardings set last_error = ${reason}, updated_at = now() where id = ${id}`.execute(
        db,
      );
    },
    async get(id) {
      const { rows } = await sql<Row>`select * from liquidity_boardings where id = ${id}`.execute(db);
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },
    async open() {
      const { rows } = await sql<Row>`select * from liquidity_boardings
        where status in ('sending', 'sent') order by created_at, id`.execute(db);
      return rows.map(toRecord);
    },
  };
}
