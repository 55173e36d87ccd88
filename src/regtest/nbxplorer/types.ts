/**
 * Wire shapes of the NBXplorer REST API, exactly the fields arkd-wallet (arkd v0.9.15,
 * `pkg/arkd-wallet/core/infrastructure/nbxplorer/types.go`) decodes, plus the fields real
 * NBXplorer sends next to them. JSON names are NBXplorer's camelCase; amounts are satoshis.
 */

/** `GET /v1/cryptos/BTC/status`. */
export interface StatusResponse {
  readonly bitcoinStatus: {
    readonly blocks: number;
    readonly headers: number;
    readonly verificationProgress: number;
    readonly isSynched: boolean;
    /** sat/vB. */
    readonly incrementalRelayFee: number;
    /** sat/vB; arkd-wallet multiplies by 1000 (sat/kvB) and adds 10 %. */
    readonly minRelayTxFee: number;
    readonly capabilities: {
      readonly canScanTxoutSet: boolean;
      readonly canSupportSegwit: boolean;
      readonly canSupportTaproot: boolean;
      readonly canSupportTransactionCheck: boolean;
    };
  };
  readonly isFullySynched: boolean;
  readonly syncHeight: number;
  readonly networkType: string;
  readonly cryptoCode: "BTC";
  readonly instanceName: string;
  readonly version: string;
}

/** `GET /v1/cryptos/BTC/transactions/{txid}`. */
export interface TransactionResponse {
  readonly blockHash?: string;
  readonly confirmations: number;
  readonly height?: number;
  readonly transactionId: string;
  readonly transaction: string;
  /** Block time when confirmed, else first-seen time (unix seconds). */
  readonly timestamp: number;
}

/** `GET .../derivations/{scheme}/addresses/unused` and `.../scripts/{script}`. */
export interface KeyPathInformation {
  readonly trackedSource: string;
  readonly feature: Feature;
  readonly derivationStrategy: string;
  readonly keyPath: string;
  readonly index: number;
  readonly scriptPubKey: string;
  readonly address: string;
}

/** NBXplorer's derivation features: Deposit = keyPath `0/i`, Change = `1/i`. */
export type Feature = "Deposit" | "Change";

/** `GET /v1/cryptos/BTC/fees/{blocks}`: feeRate in sat/vB. */
export interface FeeRateResponse {
  readonly feeRate: number;
  readonly blockCount: number;
}

/** One UTXO inside {@link UtxosResponse}. `outpoint` is `"<txid>-<vout>"`. */
export interface UtxoEntry {
  readonly feature?: Feature;
  readonly outpoint: string;
  readonly index: number;
  readonly transactionHash: string;
  readonly scriptPubKey: string;
  readonly address: string;
  readonly value: number;
  readonly keyPath?: string;
  readonly keyIndex?: number;
  readonly timestamp: number;
  readonly confirmations: number;
}

/** `GET .../derivations/{scheme}/utxos` and `GET .../groups/{id}/utxos`. */
export interface UtxosResponse {
  readonly trackedSource: string;
  readonly derivationStrategy?: string;
  readonly currentHeight: number;
  readonly unconfirmed: { readonly utxOs: UtxoEntry[]; readonly spentOutpoints: string[] };
  readonly confirmed: { readonly utxOs: UtxoEntry[]; readonly spentOutpoints: string[] };
  readonly spentUnconfirmed: UtxoEntry[];
}

/** `GET .../derivations/{scheme}/utxos/scan/status`. */
export interface ScanProgressResponse {
  readonly error?: string;
  readonly queuedAt: number;
  readonly status: "Queued" | "Pending" | "Complete" | "Error";
  readonly progress?: {
    readonly startedAt: number;
    readonly completedAt?: number;
    readonly found: number;
    readonly batchNumber: number;
    readonly remainingBatches: number;
    readonly currentBatchProgress: number;
    readonly remainingSeconds: number;
    readonly overallProgress: number;
    readonly from: number;
    readonly count: number;
    readonly totalSearched: number;
    readonly highestKeyIndexFound: { readonly change?: number; readonly deposit?: number };
  };
}

/** `POST /v1/cryptos/BTC/transactions` (always HTTP 200; `success` tells). */
export interface BroadcastResult {
  readonly success: boolean;
  readonly rpcCode?: number;
  readonly rpcCodeMessage?: string;
  readonly rpcMessage?: string;
}

/** `POST /v1/groups` and `GET /v1/groups/{id}`. */
export interface GroupResponse {
  readonly groupId: string;
  readonly trackedSource: string;
  readonly children: { readonly trackedSource: string; readonly cryptoCode: "BTC" }[];
}

/** An output of a transaction that matched a tracked source (inside a newtransaction event). */
export interface MatchedOutput {
  readonly keyPath?: string;
  readonly scriptPubKey: string;
  readonly index: number;
  readonly keyIndex?: number;
  readonly feature?: Feature;
  readonly value: number;
  readonly address: string;
}

/** `data` of a websocket `newtransaction` event. */
export interface NewTransactionEventData {
  readonly blockId?: string;
  readonly trackedSource: string;
  readonly derivationStrategy?: string;
  readonly cryptoCode: "BTC";
  readonly outputs: MatchedOutput[];
  readonly inputs: { readonly transactionId: string; readonly index: number }[];
  readonly transactionData: {
    readonly transactionHash: string;
    readonly confirmations: number;
    readonly height?: number;
    readonly timestamp: number;
    readonly transaction: string;
  };
}

/** `data` of a websocket `newblock` event. */
export interface NewBlockEventData {
  readonly height: number;
  readonly hash: string;
  readonly previousBlockHash?: string;
  readonly cryptoCode: "BTC";
  readonly confirmations: 0;
}

/** A websocket message: `{eventId, type, data}`. */
export type ExplorerEvent =
  | { readonly eventId: number; readonly type: "newtransaction"; readonly data: NewTransactionEventData }
  | { readonly eventId: number; readonly type: "newblock"; readonly data: NewBlockEventData };

/** JSON-RPC 1.0 request as arkd-wallet posts it to `/v1/cryptos/BTC/rpc`. */
export interface RpcRequest {
  readonly jsonrpc?: string;
  readonly id?: unknown;
  readonly method: string;
  readonly params?: unknown[];
}

/** JSON-RPC response; `error` is null on success. */
export interface RpcResponse {
  readonly result: unknown;
  readonly error: { readonly code: number; readonly message: string } | null;
  readonly id: unknown;
}
