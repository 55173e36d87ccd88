import { arkError } from "./errors.js";
import { uint64, int64 } from "./longs.js";
import type {
  CommitmentTxInfo,
  Outpoint,
  PageInfo,
  SubmittedArkTx,
  TxNotification,
  TxPayload,
  Vtxo,
} from "./types.js";
import type {
  WireGetCommitmentTxResponse,
  WireOutpoint,
  WirePageResponse,
  WireSubmitTxResponse,
  WireTxData,
  WireTxNotification,
  WireVtxo,
} from "./wire-types.js";
import { isTxidHex } from "../../lib/hex.js";

/**
 * Maps a wire outpoint, checking the txid is 32-byte hex.
 * @throws GatewayError `ark.invalid_response` when missing or malformed
 */
export function mapOutpoint(op: WireOutpoint | null | undefined, field: string): Outpoint {
  if (op == null || !isTxidHex(op.txid) || !Number.isInteger(op.vout) || op.vout < 0) {
    throw arkError("ark.invalid_response", `arkd sent an invalid outpoint in ${field}`, { field });
  }
  return { txid: op.txid.toLowerCase(), vout: op.vout };
}

const orUndefined = (s: string): string | undefined => (s === "" ? undefined : s);

/**
 * Maps an ark.v1.Vtxo / ark.v1.IndexerVtxo to the domain Vtxo (amount and times as bigint).
 * @param v the decoded VTXO
 * @param field where it came from, for error messages
 * @throws GatewayError `ark.invalid_response` on a malformed outpoint or integer
 */
export function mapVtxo(v: WireVtxo, field: string): Vtxo {
  return {
    outpoint: mapOutpoint(v.outpoint, `${field}.outpoint`),
    amountSats: uint64(v.amount, `${field}.amount`),
    script: v.script.toLowerCase(),
    createdAt: int64(v.created_at, `${field}.created_at`),
    expiresAt: int64(v.expires_at, `${field}.expires_at`),
    flags: {
      preconfirmed: v.is_preconfirmed,
      swept: v.is_swept,
      unrolled: v.is_unrolled,
      spent: v.is_spent,
    },
    spentBy: orUndefined(v.spent_by),
    arkTxid: orUndefined(v.ark_txid),
    settledBy: orUndefined(v.settled_by),
    commitmentTxids: [...(v.commitment_txids ?? [])],
    depth: v.depth ?? 0,
  };
}

/** Maps a list of VTXOs, naming each by index in errors. */
export function mapVtxos(list: readonly WireVtxo[] | undefined, field: string): Vtxo[] {
  return (list ?? []).map((v, i) => mapVtxo(v, `${field}[${i}]`));
}

/** Maps an indexer page; arkd omits it when no page was requested. */
export function mapPage(page: WirePageResponse | null | undefined): PageInfo | undefined {
  return page == null ? undefined : { current: page.current, next: page.next, total: page.total };
}

/** Maps SubmitTxResponse / PendingTx. */
export function mapSubmitted(res: WireSubmitTxResponse, rpc: string): SubmittedArkTx {
  if (!isTxidHex(res.ark_txid) || res.final_ark_tx === "") {
    throw arkError("ark.invalid_response", `${rpc}: missing ark_txid or final_ark_tx`, { rpc });
  }
  return {
    arkTxid: res.ark_txid.toLowerCase(),
    finalArkTx: res.final_ark_tx,
    signedCheckpointTxs: [...(res.signed_checkpoint_txs ?? [])],
  };
}

/** Maps a map<string, TxData> (checkpoint txs keyed by spent outpoint). */
export function mapTxDataMap(
  m: Record<string, WireTxData | null> | undefined,
): ReadonlyMap<string, TxPayload> {
  const out = new Map<string, TxPayload>();
  for (const [key, value] of Object.entries(m ?? {})) {
    if (value != null) out.set(key, { txid: value.txid, tx: value.tx });
  }
  return out;
}

/** Maps a TxNotification of GetTransactionsStream. */
export function mapTxNotification(n: WireTxNotification, field: string): TxNotification {
  return {
    txid: n.txid,
    tx: n.tx,
    spentVtxos: mapVtxos(n.spent_vtxos, `${field}.spent_vtxos`),
    spendableVtxos: mapVtxos(n.spendable_vtxos, `${field}.spendable_vtxos`),
    checkpointTxs: mapTxDataMap(n.checkpoint_txs),
    sweptVtxos: (n.swept_vtxos ?? []).map((o, i) => mapOutpoint(o, `${field}.swept_vtxos[${i}]`)),
  };
}

/**
 * Maps GetCommitmentTx (batches keyed by vout on the wire; proto3 maps arrive as objects).
 * @throws GatewayError `ark.invalid_response` on a malformed integer or vout
 */
export function mapCommitmentTx(txid: string, res: WireGetCommitmentTxResponse): CommitmentTxInfo {
  const batches = Object.entries(res.batches ?? {}).map(([vout, b]) => {
    const n = Number(vout);
    if (!Number.isInteger(n) || n < 0)
      throw arkError("ark.invalid_response", "arkd sent an invalid batch vout in GetCommitmentTx", { vout });
    return {
      vout: n,
      totalOutputSats: uint64(b.total_output_amount, `GetCommitmentTx.batches[${vout}].total_output_amount`),
      expiresAt: int64(b.expires_at, `GetCommitmentTx.batches[${vout}].expires_at`),
      swept: b.swept === true,
    };
  });
  return {
    txid,
    startedAt: int64(res.started_at, "GetCommitmentTx.started_at"),
    endedAt: int64(res.ended_at, "GetCommitmentTx.ended_at"),
    batches: batches.sort((a, b) => a.vout - b.vout),
  };
}
