/**
 * The database as kysely sees it: one interface per table, snake_case like the columns. int8 is
 * bigint (our pool parses it so), timestamptz is Date, text[] is string[], jsonb data is
 * written as JSON text (bigints already stringified) and read back parsed.
 */
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Int8 = ColumnType<bigint, bigint, bigint>;
type NullableInt8 = ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type NullableDate = ColumnType<Date | null, Date | null | undefined, Date | null>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface SwapsTable {
  id: string;
  type: string;
  status: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  payment_hash: string;
  invoice_amount_sats: Int8;
  fee_sats: Int8;
  sender_pubkey: string;
  receiver_pubkey: string;
  server_pubkey: string;
  lockup_address: string;
  lockup_script: string;
  refund_locktime: Int8;
  unilateral_claim_delay: Int8;
  unilateral_refund_delay: Int8;
  unilateral_refund_without_receiver_delay: Int8;
  expires_at: NullableDate;
  failure_reason: NullableText;
}

export interface SubmarineSwapsTable {
  swap_id: string;
  invoice: string;
  invoice_amount_msat: Int8;
  expected_amount_sats: Int8;
  received_amount_sats: NullableInt8;
  funding_outpoints: TextArray;
  routing_fee_budget_sats: Int8;
  max_timeout_height: Int8;
  payment_fee_msat: NullableInt8;
  claim_txid: NullableText;
  refund_txid: NullableText;
  /** When the gateway co-signed a cooperative refund (migration 20251201000100). */
  refund_signed_at: NullableDate;
  /** The failure status a refunded swap left: payment_failed | funding_rejected (migration 20251203000300). */
  refunded_from: NullableText;
}

export interface ReverseSwapsTable {
  swap_id: string;
  invoice: string;
  onchain_amount_sats: Int8;
  hold_invoice_cltv_delta: Int8;
  invoice_expires_at: ColumnType<Date, Date, Date>;
  description: NullableText;
  htlc_expiry_height: NullableInt8;
  funding_txid: NullableText;
  funding_outpoint: NullableText;
  claim_txid: NullableText;
  refund_txid: NullableText;
}

export interface SwapEventsTable {
  id: ColumnType<bigint, never, never>;
  swap_id: string;
  from_status: string | null;
  to_status: string;
  event: string;
  /** Written as JSON text, read back as a parsed value. */
  data: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface WalletKeysTable {
  derivation_index: ColumnType<bigint, bigint, never>;
  purpose: string;
  swap_id: NullableText;
  public_key: string;
  created_at: CreatedAt;
}

export interface WalletVtxosTable {
  outpoint: string;
  amount_sats: Int8;
  script: string;
  state: string;
  reserved_for: NullableText;
  spent_by: NullableText;
  batch_expiry: NullableInt8;
  /** arkd's expires_at (unix seconds): no offchain spend after it. */
  offchain_until: NullableInt8;
  commitment_txids: TextArray;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WalletSpendsTable {
  id: string;
  kind: string;
  state: string;
  request: string;
  ark_txid: string;
  signed_ark_tx: string;
  checkpoint_txs: string[];
  server_ark_tx: NullableText;
  server_checkpoint_txs: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  input_outpoints: string[];
  reserved_outpoints: TextArray;
  swap_key_index: NullableInt8;
  result_outpoint: NullableText;
  failure_reason: NullableText;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WalletSwapKeysTable {
  swap_id: string;
  derivation_index: ColumnType<bigint, bigint, never>;
  created_at: CreatedAt;
}

export interface PreimagesTable {
  payment_hash: string;
  preimage: string;
  learned_at: CreatedAt;
  settled_at: NullableDate;
}

/** The whole schema: `Kysely<DB>`. */
export interface DB {
  swaps: SwapsTable;
  submarine_swaps: SubmarineSwapsTable;
  reverse_swaps: ReverseSwapsTable;
  swap_events: SwapEventsTable;
  wallet_keys: WalletKeysTable;
  wallet_vtxos: WalletVtxosTable;
  wallet_spends: WalletSpendsTable;
  wallet_swap_keys: WalletSwapKeysTable;
  preimages: PreimagesTable;
}

export type SwapRow = Selectable<SwapsTable>;
export type SubmarineRow = Selectable<SubmarineSwapsTable>;
export type ReverseRow = Selectable<ReverseSwapsTable>;
export type SwapEventRow = Selectable<SwapEventsTable>;
export type WalletKeyRow = Selectable<WalletKeysTable>;
export type WalletVtxoRow = Selectable<WalletVtxosTable>;
export type PreimageRow = Selectable<PreimagesTable>;
export type WalletSpendRow = Selectable<WalletSpendsTable>;
export type NewSwapRow = Insertable<SwapsTable>;
