/**
 * What the liquidity flows use of the outside world, as ports: LND's onchain wallet (adapter:
 * src/lightning/lnd/lnd-onchain.ts), the gateway's Ark wallet (ArkWallet) and the durable record of
 * each boarding (Postgres: src/db/boarding-store.ts; in memory in tests).
 */

/** A confirmed UTXO at the boarding address (`txid:vout`). */
export interface BoardingUtxo {
  readonly outpoint: string;
  readonly amountSats: bigint;
}

/** Progress of a batch join: the step and its fields. */
export type JoinProgress = (step: string, fields: Record<string, unknown>) => void;

/** What a finalized boarding batch gave. */
export interface BoardResult {
  readonly commitmentTxid: string;
  /** The new VTXO and its amount (Σ boarded − intent fee). */
  readonly outpoint: string;
  readonly amountSats: bigint;
  readonly feeSats: bigint;
}

/** What a finalized offboard batch paid. */
export interface OffboardResult {
  readonly commitmentTxid: string;
  readonly amountSats: bigint;
  readonly feeSats: bigint;
  readonly change: { readonly outpoint: string; readonly amountSats: bigint } | undefined;
  readonly inputs: readonly string[];
}

/** The boarding address and its scriptPubKey (hex). */
export interface BoardingTarget {
  readonly address: string;
  readonly script: { readonly pkScriptHex: string };
}

export interface OnchainTx {
  readonly txid: string;
  readonly label: string | undefined;
  readonly confirmations: number;
  /** The chain fee LND paid for it (its own sends). */
  readonly feeSats: bigint;
  readonly rawHex: string | undefined;
}

/** LND's onchain wallet. */
export interface OnchainWalletPort {
  /** Pays exactly `amountSats` to `address` (the fee on top), labelled. @returns the txid */
  send(req: {
    readonly address: string;
    readonly amountSats: bigint;
    readonly label: string;
  }): Promise<string>;
  /** The wallet's transactions (its sends and receives). */
  transactions(): Promise<OnchainTx[]>;
  /** A fresh receive address. */
  newAddress(): Promise<string>;
}

/** The Ark wallet's liquidity side. */
export interface ArkLiquidityPort {
  boardingScript(): Promise<BoardingTarget>;
  /** `onSigning`: the commitment txid, before our signatures on its boarding inputs go out. */
  board(
    utxos: readonly BoardingUtxo[],
    onStep?: JoinProgress,
    onSigning?: (commitmentTxid: string) => void | Promise<void>,
  ): Promise<BoardResult>;
  /** The wallet VTXO made by a finalized batch, undefined when there is none. */
  batchOutputVtxo(commitmentTxid: string): Promise<{ outpoint: string; amountSats: bigint } | undefined>;
  offboard(
    req: { readonly amountSats: bigint; readonly address: string },
    onStep?: JoinProgress,
  ): Promise<OffboardResult>;
}

export type BoardingStatus = "sending" | "sent" | "boarded" | "failed";

export interface BoardingRecord {
  readonly id: string;
  readonly amountSats: bigint;
  readonly address: string;
  readonly status: BoardingStatus;
  readonly txid: string | undefined;
  readonly vout: number | undefined;
  readonly commitmentTxid: string | undefined;
  readonly vtxoOutpoint: string | undefined;
  /** The VTXO's amount (amount − intent fee). */
  readonly vtxoSats: bigint | undefined;
  readonly feeSats: bigint | undefined;
  readonly lastError: string | undefined;
  readonly createdAt: Date;
}

export interface BoardingStore {
  /** A new boarding, before LND is asked to send. */
  create(r: { readonly id: string; readonly amountSats: bigint; readonly address: string }): Promise<void>;
  /** LND sent it (sending → sent). */
  markSent(id: string, txid: string): Promise<void>;
  /** The commitment tx we signed the boarding input of (status stays `sent`). */
  noteCommitment(id: string, commitmentTxid: string): Promise<void>;
  /** The boarding output's index, once known. */
  setVout(id: string, vout: number): Promise<void>;
  /** The batch finalized (sent → boarded). */
  markBoarded(
    id: string,
    r: {
      readonly commitmentTxid: string;
      readonly vtxoOutpoint: string;
      readonly vtxoSats: bigint;
      readonly feeSats: bigint;
    },
  ): Promise<void>;
  /** Nothing was sent (sending → failed). */
  markFailed(id: string, reason: string): Promise<void>;
  /** Remembers why the last attempt failed (status unchanged). */
  noteError(id: string, reason: string): Promise<void>;
  get(id: string): Promise<BoardingRecord | undefined>;
  /** Boardings not finished: sending or sent, oldest first. */
  open(): Promise<BoardingRecord[]>;
}
