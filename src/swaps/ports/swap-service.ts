/**
 * The inbound port: what the faces of the gateway (HTTP API, WebSocket, CLI, module API) ask of the
 * swap engine (implemented by GatewaySwapService, src/swaps/gateway-swap-service.ts).
 * Shapes are the engine's own; the HTTP layer maps them to Boltz v2 field names. Amounts in sats
 * (bigint), keys 33-byte compressed hex, hashes hex. Every method rejects only with GatewayError
 * (bad input → a 4xx code).
 */
import type { BoltzStatus, SwapType } from "../../domain/swap-types.js";
import type { Swap } from "../../domain/swap-records.js";

/**
 * Codes every SwapService implementation (and the faces) agree on. The engine may throw more
 * (each with its own httpStatus); these two are relied upon by the HTTP API and its tests.
 */
export const SWAP_SERVICE_ERRORS = {
  /**
   * No swap has this id (or not of the type the method needs, e.g. the preimage of a reverse).
   * Its message contains {@link SWAP_NOT_FOUND_TEXT}: clients match that text, not the code.
   */
  "swap.not_found": { httpStatus: 404, retryable: false },
  /** The request echoed a `pairHash` that is not the current quote's: fetch the pairs again. */
  "swap.pair_hash_mismatch": { httpStatus: 400, retryable: true },
} as const;

/**
 * The words every unknown-swap answer carries: `@arkade-os/boltz-swap` recognises an unknown swap
 * (SwapNotFoundError, and stops polling it) only by this substring of the error text.
 */
export const SWAP_NOT_FOUND_TEXT = "could not find swap";

export interface PairQuote {
  /** Changes whenever fees or limits change; a create request may echo it (`pairHash`). */
  readonly hash: string;
  readonly feePercentage: string;
  readonly minimalSats: bigint;
  readonly maximalSats: bigint;
  /** Flat fees in sats (Boltz `minerFees`): 0 for Ark, kept for client compatibility. */
  readonly baseFeeSats: bigint;
}

export interface TimeoutHeights {
  /** Absolute CLTV of refundWithoutReceiver. */
  readonly refund: bigint;
  readonly unilateralClaim: bigint;
  readonly unilateralRefund: bigint;
  readonly unilateralRefundWithoutReceiver: bigint;
}

export interface CreatedSubmarine {
  readonly id: string;
  readonly expectedAmountSats: bigint;
  readonly address: string;
  /** The gateway's key (VHTLC receiver). */
  readonly claimPublicKey: string;
  readonly acceptZeroConf: boolean;
  readonly timeoutBlockHeights: TimeoutHeights;
}

export interface CreatedReverse {
  readonly id: string;
  readonly invoice: string;
  readonly onchainAmountSats: bigint;
  readonly lockupAddress: string;
  /** The gateway's key (VHTLC sender). */
  readonly refundPublicKey: string;
  readonly timeoutBlockHeights: TimeoutHeights;
}

export interface SwapStatusView {
  readonly id: string;
  readonly type: SwapType;
  readonly status: BoltzStatus;
  readonly transaction?: { readonly id: string; readonly hex?: string; readonly preimage?: string };
  readonly failureReason?: string;
}

export interface SwapUpdate extends SwapStatusView {
  readonly at: Date;
}

export interface SwapService {
  submarineQuote(): Promise<PairQuote>;
  reverseQuote(): Promise<PairQuote>;

  createSubmarine(req: {
    readonly invoice: string;
    readonly refundPublicKey: string;
    readonly pairHash?: string;
  }): Promise<CreatedSubmarine>;

  createReverse(req: {
    readonly invoiceAmountSats: bigint;
    readonly claimPublicKey: string;
    readonly preimageHash: string;
    /** The invoice description; exclusive with `descriptionHash`. */
    readonly description?: string;
    /** SHA-256 of a description (LNURL), 32 bytes hex, committed as BOLT11 `h`. */
    readonly descriptionHash?: string;
    readonly pairHash?: string;
  }): Promise<CreatedReverse>;

  status(id: string): Promise<SwapStatusView>;
  /** Submarine: the preimage once the invoice is paid. */
  submarinePreimage(id: string): Promise<{ readonly preimage: string }>;
  /** Reverse: the Ark tx that funded the VHTLC. */
  reverseLockup(id: string): Promise<{ readonly id: string; readonly hex?: string }>;
  /** Submarine: co-signs the wallet's cooperative refund (base64 PSBTs in and out). */
  refundArk(
    id: string,
    req: { readonly transaction: string; readonly checkpoint: string },
  ): Promise<{ readonly transaction: string; readonly checkpoint: string }>;
  /** Current heights for the clients' timeout math. */
  heights(): Promise<{ readonly BTC: number; readonly ARK: number }>;
  /** Every swap whose VHTLC uses `publicKey` (the wallet's refund or claim key). */
  restore(publicKey: string): Promise<readonly Swap[]>;

  get(id: string): Promise<Swap>;
  list(filter?: {
    readonly type?: SwapType;
    readonly openOnly?: boolean;
    readonly limit?: number;
  }): Promise<readonly Swap[]>;

  /** Pushes every state change; returns an unsubscribe function. */
  onUpdate(listener: (update: SwapUpdate) => void): () => void;
}
