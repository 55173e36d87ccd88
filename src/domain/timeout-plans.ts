/**
 * The timeouts of a new swap, planned in one call per type from the chain tip, arkd's exit
 * delay and the settings, with the whole chain of invariant 3 checked before anything is built.
 */
import { computeRefundLocktime, computeUnilateralDelays, relativeDelayMode } from "./locktime-modes.js";
import { assertInvoiceCltvFits, reverseHoldInvoiceCltvDelta, submarineCltvLimit } from "./timeout-chain.js";
import type { ChainTip, TimeoutSettings, UnilateralDelays } from "./timeout-settings.js";

export interface SubmarineTimeouts extends UnilateralDelays {
  /** Absolute CLTV of refundWithoutReceiver (height or unix time, per mode). */
  readonly refundLocktime: bigint;
  readonly cltvLimitBlocks: bigint;
  /** LND `max_timeout_height` for paying the invoice. */
  readonly maxTimeoutHeight: bigint;
}

export interface ReverseTimeouts extends UnilateralDelays {
  readonly refundLocktime: bigint;
  /** CLTV delta the hold invoice asks payers for. */
  readonly holdInvoiceCltvDelta: bigint;
}

/**
 * Plans a submarine swap's timeouts.
 * @param serverUnilateralExitDelay arkd's public unilateral exit delay (BIP-68 value)
 * @param invoiceMinFinalCltvDelta the invoice's `min_final_cltv_expiry` in blocks, checked when given
 * @throws GatewayError `timeout.*` (the first violated rule)
 */
export function planSubmarineTimeouts(
  settings: TimeoutSettings,
  tip: ChainTip,
  serverUnilateralExitDelay: bigint,
  invoiceMinFinalCltvDelta?: bigint,
): SubmarineTimeouts {
  const delays = computeUnilateralDelays(settings, serverUnilateralExitDelay);
  const refundLocktime = computeRefundLocktime(tip, settings.mode, settings.submarineRefundDelta);
  const limit = submarineCltvLimit(tip, refundLocktime, settings);
  if (invoiceMinFinalCltvDelta !== undefined)
    assertInvoiceCltvFits(invoiceMinFinalCltvDelta, limit.cltvLimitBlocks);
  return { ...delays, refundLocktime, ...limit };
}

/**
 * Plans a reverse swap's timeouts. The hold invoice's CLTV delta puts the cancel height of any
 * HTLC paying it (htlcExpiry − cancelMarginBlocks) beyond the most blocks the chain can mine
 * before refundLocktime, so the gateway never has to cancel while the wallet can still claim.
 * @param cancelMarginBlocks the engine cancels a held invoice at htlcExpiry − this (blocks)
 * @throws GatewayError `timeout.*` (the first violated rule)
 */
export function planReverseTimeouts(
  settings: TimeoutSettings,
  tip: ChainTip,
  serverUnilateralExitDelay: bigint,
  cancelMarginBlocks: bigint,
): ReverseTimeouts {
  const delays = computeUnilateralDelays(settings, serverUnilateralExitDelay);
  const refundLocktime = computeRefundLocktime(tip, settings.mode, settings.reverseRefundDelta);
  const holdInvoiceCltvDelta = reverseHoldInvoiceCltvDelta(tip, refundLocktime, settings, cancelMarginBlocks);
  return { ...delays, refundLocktime, holdInvoiceCltvDelta };
}

/**
 * Static problems of the settings themselves (no chain needed), for config validation:
 * positive values, units matching the mode, a submarine refund delta that leaves LN a budget,
 * unilateral claim shorter than the lone refund. Empty when fine.
 */
export function timeoutSettingsProblems(settings: TimeoutSettings, label = "timeouts"): string[] {
  const problems: string[] = [];
  const positive: (keyof TimeoutSettings)[] = [
    "submarineRefundDelta",
    "reverseRefundDelta",
    "unilateralClaimDelay",
    "unilateralRefundDelay",
    "unilateralRefundWithoutReceiverDelay",
    "lnCltvMarginBlocks",
    "maxHoldInvoiceCltvDeltaBlocks",
    "secondsPerBlock",
    "fastBlockSeconds",
    "slowBlockSeconds",
  ];
  for (const key of positive) {
    if ((settings[key] as bigint) <= 0n) problems.push(`${label}.${key} must be positive`);
  }
  for (const key of ["holdInvoiceCltvMarginBlocks", "batchExpiryMargin"] as const) {
    if (settings[key] < 0n) problems.push(`${label}.${key} must not be negative`);
  }
  for (const key of [
    "unilateralClaimDelay",
    "unilateralRefundDelay",
    "unilateralRefundWithoutReceiverDelay",
  ] as const) {
    if (settings[key] > 0n && relativeDelayMode(settings[key]) !== settings.mode) {
      problems.push(
        `${label}.${key} ${settings[key]} is not a ${settings.mode} delay (blocks < 512 ≤ seconds)`,
      );
    }
  }
  if (settings.unilateralClaimDelay >= settings.unilateralRefundWithoutReceiverDelay) {
    problems.push(`${label}.unilateralClaimDelay must be shorter than unilateralRefundWithoutReceiverDelay`);
  }
  return [...problems, ...blockBudgetProblems(settings, label)];
}

/**
 * Problems of the settings taken together as block budgets: the seconds-mode block intervals in
 * order, an LN CLTV budget left by the submarine refund delta, a hold-invoice CLTV delta within
 * LND's limit for the reverse one.
 */
function blockBudgetProblems(settings: TimeoutSettings, label: string): string[] {
  const problems: string[] = [];
  const seconds = settings.mode === "seconds";
  if (
    seconds &&
    !(
      settings.fastBlockSeconds < settings.secondsPerBlock &&
      settings.secondsPerBlock < settings.slowBlockSeconds
    )
  ) {
    problems.push(`${label}: fastBlockSeconds < secondsPerBlock < slowBlockSeconds must hold`);
  }
  // the submarine LN budget counts slow blocks, the reverse hold-invoice delta fast ones
  const submarineBlocks =
    !seconds || settings.slowBlockSeconds <= 0n
      ? settings.submarineRefundDelta
      : settings.submarineRefundDelta / settings.slowBlockSeconds;
  if (submarineBlocks <= settings.lnCltvMarginBlocks) {
    problems.push(`${label}.submarineRefundDelta leaves no CLTV budget after lnCltvMarginBlocks`);
  }
  const reverseBlocks =
    !seconds || settings.fastBlockSeconds <= 0n
      ? settings.reverseRefundDelta
      : (settings.reverseRefundDelta + settings.fastBlockSeconds - 1n) / settings.fastBlockSeconds;
  if (reverseBlocks + settings.holdInvoiceCltvMarginBlocks + 1n > settings.maxHoldInvoiceCltvDeltaBlocks) {
    problems.push(
      `${label}.reverseRefundDelta needs a hold-invoice CLTV delta above maxHoldInvoiceCltvDeltaBlocks`,
    );
  }
  return problems;
}
