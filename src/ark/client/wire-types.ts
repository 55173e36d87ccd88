/*
 * Shapes of ark.v1 messages as @grpc/proto-loader decodes them with LOADER_OPTIONS
 * (keepCase, longs: String, enums: String, defaults, oneofs): snake_case keys, 64-bit
 * integers as decimal strings, absent sub-messages as null/undefined, a oneof's name holding
 * the name of the member that is set. Only what the adapter reads or writes is typed.
 * Hand-written against proto/ark/v1/*.proto; the mappers validate what they read.
 */

/** Decimal string of a 64-bit integer (`longs: String`). */
export type Int64String = string;
type Opt<T> = T | null | undefined;

export interface WireOutpoint {
  txid: string;
  vout: number;
}

export interface WireAsset {
  asset_id: string;
  amount: Int64String;
}

/** ark.v1.Vtxo and ark.v1.IndexerVtxo share names and types (numbers differ, not our concern). */
export interface WireVtxo {
  outpoint: Opt<WireOutpoint>;
  amount: Int64String;
  script: string;
  created_at: Int64String;
  expires_at: Int64String;
  commitment_txids: string[];
  is_preconfirmed: boolean;
  is_swept: boolean;
  is_unrolled: boolean;
  is_spent: boolean;
  spent_by: string;
  settled_by: string;
  ark_txid: string;
  assets: WireAsset[];
  depth: number;
}

export interface WireIntentFeeInfo {
  offchain_input: string;
  offchain_output: string;
  onchain_input: string;
  onchain_output: string;
}

export interface WireFeeInfo {
  intent_fee: Opt<WireIntentFeeInfo>;
  tx_fee_rate: string;
}

export interface WireDeprecatedSigner {
  pubkey: string;
  cutoff_date: Int64String;
}

export interface WireGetInfoResponse {
  version: string;
  signer_pubkey: string;
  forfeit_pubkey: string;
  forfeit_address: string;
  checkpoint_tapscript: string;
  network: string;
  session_duration: Int64String;
  unilateral_exit_delay: Int64String;
  boarding_exit_delay: Int64String;
  utxo_min_amount: Int64String;
  utxo_max_amount: Int64String;
  vtxo_min_amount: Int64String;
  vtxo_max_amount: Int64String;
  dust: Int64String;
  fees: Opt<WireFeeInfo>;
  deprecated_signers: WireDeprecatedSigner[];
  digest: string;
  max_tx_weight: Int64String;
  max_op_return_outputs: Int64String;
}

export interface WireIntent {
  proof: string;
  message: string;
}

export interface WireSubmitTxResponse {
  ark_txid: string;
  final_ark_tx: string;
  signed_checkpoint_txs: string[];
}

export interface WireGetPendingTxResponse {
  pending_txs: WireSubmitTxResponse[];
}

export interface WirePageResponse {
  current: number;
  next: number;
  total: number;
}

export interface WireGetVtxosResponse {
  vtxos: WireVtxo[];
  page: Opt<WirePageResponse>;
}

export interface WireIndexerBatch {
  total_output_amount: Int64String;
  total_output_vtxos: number;
  expires_at: Int64String;
  swept: boolean;
}

export interface WireGetCommitmentTxResponse {
  started_at: Int64String;
  ended_at: Int64String;
  batches: Opt<Record<string, WireIndexerBatch>>;
}

export interface WireGetVirtualTxsResponse {
  txs: string[];
  page: Opt<WirePageResponse>;
}

export interface WireTxData {
  txid: string;
  tx: string;
}

export interface WireTxNotification {
  txid: string;
  tx: string;
  spent_vtxos: WireVtxo[];
  spendable_vtxos: WireVtxo[];
  checkpoint_txs: Record<string, WireTxData>;
  swept_vtxos: WireOutpoint[];
}

export interface WireTransactionsStreamResponse {
  data?: "commitment_tx" | "ark_tx" | "heartbeat" | "sweep_tx";
  commitment_tx?: Opt<WireTxNotification>;
  ark_tx?: Opt<WireTxNotification>;
  sweep_tx?: Opt<WireTxNotification>;
}

export interface WireSubscriptionEvent {
  txid: string;
  scripts: string[];
  new_vtxos: WireVtxo[];
  spent_vtxos: WireVtxo[];
  swept_vtxos: WireVtxo[];
  tx: string;
  checkpoint_txs: Record<string, WireTxData>;
}

export interface WireSubscriptionResponse {
  data?: "heartbeat" | "event" | "subscription_started";
  event?: Opt<WireSubscriptionEvent>;
  subscription_started?: Opt<{ subscription_id: string }>;
}

export interface WireEventStreamResponse {
  event?:
    | "batch_started"
    | "batch_finalization"
    | "batch_finalized"
    | "batch_failed"
    | "tree_signing_started"
    | "tree_nonces_aggregated"
    | "tree_tx"
    | "tree_signature"
    | "tree_nonces"
    | "heartbeat"
    | "stream_started";
  batch_started?: Opt<{ id: string; intent_id_hashes: string[]; batch_expiry: Int64String }>;
  batch_finalization?: Opt<{ id: string; commitment_tx: string }>;
  batch_finalized?: Opt<{ id: string; commitment_txid: string }>;
  batch_failed?: Opt<{ id: string; reason: string }>;
  tree_signing_started?: Opt<{
    id: string;
    cosigners_pubkeys: string[];
    unsigned_commitment_tx: string;
  }>;
  tree_nonces_aggregated?: Opt<{ id: string; tree_nonces: Record<string, string> }>;
  tree_tx?: Opt<{
    id: string;
    topic: string[];
    batch_index: number;
    txid: string;
    tx: string;
    children: Record<string, string>;
  }>;
  tree_signature?: Opt<{
    id: string;
    topic: string[];
    batch_index: number;
    txid: string;
    signature: string;
  }>;
  tree_nonces?: Opt<{ id: string; topic: string[]; txid: string; nonces: Record<string, string> }>;
  stream_started?: Opt<{ id: string }>;
}

export interface WireUpdateStreamTopicsResponse {
  topics_added: string[];
  topics_removed: string[];
  all_topics: string[];
}
