/**
 * Service shapes → Boltz v2 wire shapes. Field names and JSON types follow what
 * `@arkade-os/boltz-swap` 0.2.20 checks in `dist/index.js` (`isGetSubmarinePairsResponse`,
 * `isCreateSubmarineSwapResponse`, `isCreateReverseSwapResponse`, `isGetSwapStatusResponse`,
 * `isGetReverseSwapTxIdResponse`, ...): amounts, heights and percentages are JSON numbers.
 * Bigints become numbers here and only here, refusing anything beyond Number.MAX_SAFE_INTEGER.
 */
import type {
  CreatedReverse,
  CreatedSubmarine,
  PairQuote,
  SwapStatusView,
  TimeoutHeights,
} from "../../swaps/ports/swap-service.js";
import { apiError } from "./errors.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A bigint as an exact JSON number.
 * @param field name for the error message
 * @throws GatewayError `http.unsafe_number` (500) when |value| > Number.MAX_SAFE_INTEGER
 */
export function toWireNumber(value: bigint, field: string): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw apiError("http.unsafe_number", `${field} does not fit a JSON number exactly`);
  }
  return Number(value);
}

/**
 * A decimal percentage string ("0.25") as a number.
 * @throws GatewayError `http.unsafe_number` when it is not a finite decimal
 */
export function percentageNumber(value: string): number {
  const n = /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw apiError("http.unsafe_number", "fee percentage is not a decimal number");
  return n;
}

export interface WireTimeouts {
  refund: number;
  unilateralClaim: number;
  unilateralRefund: number;
  unilateralRefundWithoutReceiver: number;
}

/** `timeoutBlockHeights` (absolute refund locktime + three BIP-68 delays). */
export function wireTimeouts(t: TimeoutHeights): WireTimeouts {
  return {
    refund: toWireNumber(t.refund, "timeoutBlockHeights.refund"),
    unilateralClaim: toWireNumber(t.unilateralClaim, "timeoutBlockHeights.unilateralClaim"),
    unilateralRefund: toWireNumber(t.unilateralRefund, "timeoutBlockHeights.unilateralRefund"),
    unilateralRefundWithoutReceiver: toWireNumber(
      t.unilateralRefundWithoutReceiver,
      "timeoutBlockHeights.unilateralRefundWithoutReceiver",
    ),
  };
}

/** Ark is 1:1 with BTC. */
const RATE = 1;

/**
 * `GET /v2/swap/submarine`: `{ARK: {BTC: {hash, rate, limits, fees}}}`. Ark payments are final
 * once arkd co-signs them, so the whole range is accepted without confirmations
 * (`maximalZeroConf` = `maximal`); `minerFees` is the flat fee.
 */
export function wireSubmarinePairs(q: PairQuote): unknown {
  const maximal = toWireNumber(q.maximalSats, "limits.maximal");
  return {
    ARK: {
      BTC: {
        hash: q.hash,
        rate: RATE,
        limits: { minimal: toWireNumber(q.minimalSats, "limits.minimal"), maximal, maximalZeroConf: maximal },
        fees: {
          percentage: percentageNumber(q.feePercentage),
          minerFees: toWireNumber(q.baseFeeSats, "minerFees"),
        },
      },
    },
  };
}

/**
 * `GET /v2/swap/reverse`: `{BTC: {ARK: {hash, rate, limits, fees{percentage, minerFees{claim,
 * lockup}}}}}`. The client adds claim + lockup (`extractInvoiceAmount`), so the flat fee is
 * reported as `lockup` and `claim` is 0 (the wallet's offchain claim costs nothing).
 */
export function wireReversePairs(q: PairQuote): unknown {
  return {
    BTC: {
      ARK: {
        hash: q.hash,
        rate: RATE,
        limits: {
          minimal: toWireNumber(q.minimalSats, "limits.minimal"),
          maximal: toWireNumber(q.maximalSats, "limits.maximal"),
        },
        fees: {
          percentage: percentageNumber(q.feePercentage),
          minerFees: { claim: 0, lockup: toWireNumber(q.baseFeeSats, "minerFees.lockup") },
        },
      },
    },
  };
}

/** `POST /v2/swap/submarine` answer. `timeoutBlockHeight` duplicates the refund locktime (Boltz). */
export function wireCreatedSubmarine(c: CreatedSubmarine): unknown {
  const timeoutBlockHeights = wireTimeouts(c.timeoutBlockHeights);
  return {
    id: c.id,
    address: c.address,
    expectedAmount: toWireNumber(c.expectedAmountSats, "expectedAmount"),
    claimPublicKey: c.claimPublicKey,
    acceptZeroConf: c.acceptZeroConf,
    timeoutBlockHeight: timeoutBlockHeights.refund,
    timeoutBlockHeights,
  };
}

/** `POST /v2/swap/reverse` answer. */
export function wireCreatedReverse(c: CreatedReverse): unknown {
  const timeoutBlockHeights = wireTimeouts(c.timeoutBlockHeights);
  return {
    id: c.id,
    invoice: c.invoice,
    onchainAmount: toWireNumber(c.onchainAmountSats, "onchainAmount"),
    lockupAddress: c.lockupAddress,
    refundPublicKey: c.refundPublicKey,
    timeoutBlockHeight: timeoutBlockHeights.refund,
    timeoutBlockHeights,
  };
}

export interface WireStatus {
  status: string;
  transaction?: { id: string; hex?: string; preimage?: string };
  failureReason?: string;
}

/** `GET /v2/swap/{id}` answer; the same object plus `id` is a `swap.update` WebSocket arg. */
export function wireStatus(v: SwapStatusView): WireStatus {
  const out: WireStatus = { status: v.status };
  if (v.transaction !== undefined) {
    const t = v.transaction;
    out.transaction = {
      id: t.id,
      ...(t.hex === undefined ? {} : { hex: t.hex }),
      ...(t.preimage === undefined ? {} : { preimage: t.preimage }),
    };
  }
  if (v.failureReason !== undefined) out.failureReason = v.failureReason;
  return out;
}
