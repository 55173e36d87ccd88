/**
 * What the swap engine asks of the Ark side: the gateway's own Ark wallet (keys, VTXOs, spends)
 * plus the few arkd facts it needs. Implemented by src/ark/wallet (over the arkd client port and
 * the pure tx core); faked in the engine's unit tests. Amounts in sats (bigint); scripts are
 * P2TR scriptPubKeys as hex (`5120…`); keys 33-byte compressed hex; outpoints `txid:vout`.
 * Every method rejects only with GatewayError.
 */
import type { StoredVhtlc } from "../../ark/scripts/index.js";
import type { ArkServerInfo } from "../../ark/server-info.js";

/** The VHTLC of one swap, as stored with it (enough to rebuild every leaf). */
export type SwapVhtlc = StoredVhtlc;

/** An onchain spend of an unrolled VHTLC output through one of its single-key unilateral leaves. */
export interface OnchainVhtlcSpend {
  readonly vhtlc: SwapVhtlc;
  readonly keyIndex: number;
  readonly leaf: "unilateralClaim" | "unilateralRefundWithoutReceiver";
  readonly outpoint: { readonly txid: string; readonly vout: number };
  readonly amountSats: bigint;
  /** scriptPubKey of the destination, hex. */
  readonly destinationScript: string;
  readonly feeSats: bigint;
  /** Hex, for unilateralClaim. */
  readonly preimage?: string;
}

export interface SignedOnchainSpend {
  readonly txid: string;
  /** Raw tx, hex. */
  readonly hex: string;
  readonly outputSats: bigint;
  /** Virtual size in vbytes (for the fee). */
  readonly vsize: number;
}

export interface SwapKey {
  /** Derivation index, stored with the swap. */
  readonly index: number;
  readonly publicKey: string;
}

export interface ScriptVtxo {
  readonly outpoint: string;
  readonly amountSats: bigint;
  readonly script: string;
  /** Batch expiry of the VTXO (block height on block-typed servers, else unix seconds). */
  readonly expiresAt: bigint;
  readonly isSpent: boolean;
  /** The Ark tx that spent it, when spent. */
  readonly spentByArkTxid: string | undefined;
  readonly isSwept: boolean;
  /** Brought onchain by a unilateral exit: no longer spendable offchain. */
  readonly isUnrolled: boolean;
}

export interface ArkSpendResult {
  readonly arkTxid: string;
}

export interface FundResult extends ArkSpendResult {
  /** The new VTXO at the funded script. */
  readonly outpoint: string;
}

/** A hint that something happened at watched scripts; the engine re-reads state on every hint. */
export interface ScriptActivity {
  readonly scripts: readonly string[];
  readonly arkTxid: string | undefined;
}

export interface ArkSwapPort {
  /** arkd GetInfo, cached by the adapter for a short time. */
  serverInfo(): Promise<ArkServerInfo>;

  /** Allocates (durably) the next wallet key for `swapId`; the same swap always gets the same key. */
  swapKey(swapId: string): Promise<SwapKey>;

  /** Every VTXO (spent or not) the indexer knows at `script`. */
  vtxosAt(script: string): Promise<readonly ScriptVtxo[]>;

  /** Adds scripts to the indexer subscription; activity arrives through `onActivity`. */
  watchScripts(scripts: readonly string[]): Promise<void>;
  unwatchScripts(scripts: readonly string[]): Promise<void>;
  /** Registers the listener for script activity (one listener; streams are hints only). */
  onActivity(listener: (activity: ScriptActivity) => void): void;
  /**
   * Registers a listener told when wallet coins became spendable again (a spend's change
   * recorded, a reservation released), with how many: a `fund` that found no free coin may
   * succeed now. A hint only. Optional: without it such funds wait for the next reconciliation.
   */
  onCoinsFreed?(listener: (count: number) => void): void;

  /**
   * Pays `amountSats` to `script` from the gateway's own VTXOs (coin selection + change).
   * Idempotent per `idempotencyKey`: calling again after a crash returns the first spend.
   * `minBatchExpiry`: spend only VTXOs whose batch expires strictly after it (the new VTXO
   * expires with its earliest input; invariant 3: refundLocktime < batch expiry − margin).
   */
  fund(req: {
    readonly script: string;
    readonly amountSats: bigint;
    readonly idempotencyKey: string;
    readonly minBatchExpiry?: bigint;
  }): Promise<FundResult>;

  /**
   * Claims VHTLC VTXOs (claim leaf, condition = preimage) into the gateway's wallet. Idempotent:
   * for VTXOs this wallet already claimed it returns that claim (even though they are spent
   * now); VTXOs spent by anyone else are refused.
   */
  claimVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
    readonly preimage: string;
  }): Promise<ArkSpendResult>;

  /**
   * Takes VHTLC VTXOs back after refundLocktime (refundWithoutReceiver leaf). Idempotent: for
   * VTXOs this wallet already refunded it returns that refund (even though they are spent now);
   * VTXOs spent by anyone else are refused.
   */
  refundVhtlc(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    readonly vtxos: readonly ScriptVtxo[];
  }): Promise<ArkSpendResult>;

  /**
   * Co-signs a wallet's cooperative 3-of-3 refund (refund leaf). Checks that every input spends
   * exactly this swap's VHTLC and that the outputs pay the wallet; returns the signed PSBTs.
   * The engine decides whether refunding is allowed; this only validates and signs.
   */
  /**
   * Signs the onchain spend of an unrolled VHTLC output through a unilateral leaf with the swap's
   * key (docs/onchain-watcher.md); the caller broadcasts it. Optional: without it the engine
   * takes no onchain path.
   */
  signOnchainVhtlcSpend?(req: OnchainVhtlcSpend): Promise<SignedOnchainSpend>;

  cosignRefund(req: {
    readonly vhtlc: SwapVhtlc;
    readonly keyIndex: number;
    /** base64 PSBTs as the wallet sent them. */
    readonly arkTx: string;
    readonly checkpoint: string;
    /** Outpoints (`txid:vout`) the refund must not spend, e.g. a claimed swap's funding. */
    readonly excludedOutpoints?: readonly string[];
  }): Promise<{ readonly arkTx: string; readonly checkpoint: string }>;

  /**
   * The preimage revealed by the spend of a VHTLC VTXO (condition field of the spending ark tx
   * or checkpoint), checked against `paymentHash`; undefined if not spent with one.
   */
  revealedPreimage(req: {
    readonly vtxo: ScriptVtxo;
    readonly paymentHash: string;
  }): Promise<string | undefined>;

  /** Spendable balance of the gateway's Ark wallet. */
  balance(): Promise<{ readonly spendableSats: bigint; readonly vtxoCount: number }>;
}
