/**
 * A swap as the rest of the gateway sees it (the database maps rows to these). VHTLC roles:
 * submarine → sender = wallet (refund key), receiver = gateway; reverse → sender = gateway,
 * receiver = wallet (claim key). Keys are 33-byte compressed hex; hashes lower-case hex.
 */
import type { StatusOf, SubmarineRefundedFrom, SwapType } from "./swap-types.js";

export interface SwapBase<T extends SwapType> {
  readonly id: string;
  readonly type: T;
  readonly status: StatusOf[T];
  /** Incremented by every transition; compare-and-set guard. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** sha256 of the preimage, hex. */
  readonly paymentHash: string;
  readonly invoiceAmountSats: bigint;
  readonly feeSats: bigint;
  readonly senderPubkey: string;
  readonly receiverPubkey: string;
  /** arkd's signer key inside the VHTLC. */
  readonly serverPubkey: string;
  readonly lockupAddress: string;
  /** The VHTLC's P2TR scriptPubKey, hex (`5120…`), as the indexer reports scripts. */
  readonly lockupScript: string;
  /** Absolute CLTV of refundWithoutReceiver (block height or unix time). */
  readonly refundLocktime: bigint;
  /** BIP-68 relative delays (< 512 blocks, else seconds). */
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
  readonly expiresAt: Date | null;
  readonly failureReason: string | null;
}

export interface SubmarineSwap extends SwapBase<"submarine"> {
  readonly invoice: string;
  readonly invoiceAmountMsat: bigint;
  /** What the wallet must lock: invoice + fee. */
  readonly expectedAmountSats: bigint;
  readonly receivedAmountSats: bigint | null;
  /** `txid:vout` of the VTXOs funding the VHTLC. */
  readonly fundingOutpoints: readonly string[];
  readonly routingFeeBudgetSats: bigint;
  /** LND `max_timeout_height` for the payment. */
  readonly maxTimeoutHeight: bigint;
  readonly paymentFeeMsat: bigint | null;
  readonly claimTxid: string | null;
  readonly refundTxid: string | null;
  /**
   * When the gateway co-signed the wallet's cooperative refund; once set it never pays. Optional
   * so records built before the column existed stay valid: absent means not signed.
   */
  readonly refundSignedAt?: Date | null;
  /**
   * The failure status the swap left when the wallet's refund spent the VHTLC (set with `refunded`):
   * the API keeps reporting that failure. Null before the refund and for rows refunded before the
   * column existed and without a `vhtlc_refunded` event; optional like refundSignedAt.
   */
  readonly refundedFrom?: SubmarineRefundedFrom | null;
}

export interface ReverseSwap extends SwapBase<"reverse"> {
  /** The hold invoice (BOLT11). */
  readonly invoice: string;
  /** What the gateway locks for the wallet: invoice − fee. */
  readonly onchainAmountSats: bigint;
  readonly holdInvoiceCltvDelta: bigint;
  readonly invoiceExpiresAt: Date;
  readonly description: string | null;
  /** Absolute expiry height of the held HTLC, once held. */
  readonly htlcExpiryHeight: bigint | null;
  readonly fundingTxid: string | null;
  readonly fundingOutpoint: string | null;
  readonly claimTxid: string | null;
  readonly refundTxid: string | null;
}

export type Swap = SubmarineSwap | ReverseSwap;
export interface SwapOf {
  submarine: SubmarineSwap;
  reverse: ReverseSwap;
}

type Generated = "version" | "createdAt" | "updatedAt" | "status";
type Optional = "expiresAt" | "failureReason";

/** What creating a swap takes: everything but what the database generates. */
export type NewSubmarineSwap = Omit<
  SubmarineSwap,
  | Generated
  | Optional
  | "receivedAmountSats"
  | "fundingOutpoints"
  | "paymentFeeMsat"
  | "claimTxid"
  | "refundTxid"
  | "refundSignedAt"
  | "refundedFrom"
> &
  Partial<Pick<SubmarineSwap, Optional>>;

export type NewReverseSwap = Omit<
  ReverseSwap,
  | Generated
  | Optional
  | "description"
  | "htlcExpiryHeight"
  | "fundingTxid"
  | "fundingOutpoint"
  | "claimTxid"
  | "refundTxid"
> &
  Partial<Pick<ReverseSwap, Optional | "description">>;

export type NewSwap = NewSubmarineSwap | NewReverseSwap;

/** Fields a transition may change besides the status. */
export type SharedPatch = Partial<Pick<SwapBase<SwapType>, "expiresAt" | "failureReason">>;
export type SubmarinePatch = SharedPatch &
  Partial<
    Pick<
      SubmarineSwap,
      | "receivedAmountSats"
      | "fundingOutpoints"
      | "maxTimeoutHeight"
      | "paymentFeeMsat"
      | "claimTxid"
      | "refundTxid"
      | "refundSignedAt"
      | "refundedFrom"
    >
  >;
export type ReversePatch = SharedPatch &
  Partial<
    Pick<ReverseSwap, "htlcExpiryHeight" | "fundingTxid" | "fundingOutpoint" | "claimTxid" | "refundTxid">
  >;
export interface PatchOf {
  submarine: SubmarinePatch;
  reverse: ReversePatch;
}
