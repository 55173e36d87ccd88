/** How `swaps list` and `swaps show` print swaps and their event logs. */
import type { SwapEvent } from "../db/swap-repository.js";
import type { Swap } from "../domain/swap-records.js";
import { formatTime, renderFields, renderJson, renderTable, satsLabel, type Column } from "./format.js";

const LIST_COLUMNS: readonly Column<Swap>[] = [
  { header: "ID", value: (s) => s.id },
  { header: "TYPE", value: (s) => s.type },
  { header: "STATUS", value: (s) => s.status },
  { header: "AMOUNT", value: (s) => satsLabel(s.invoiceAmountSats), align: "right" },
  { header: "FEE", value: (s) => satsLabel(s.feeSats), align: "right" },
  { header: "CREATED", value: (s) => formatTime(s.createdAt) },
];

/** The swaps as a table (newest first, as given), or a line saying there are none. */
export function renderSwapList(swaps: readonly Swap[]): string {
  if (swaps.length === 0) return "no swaps";
  return `${renderTable(LIST_COLUMNS, swaps)}\n${swaps.length} swap${swaps.length === 1 ? "" : "s"}`;
}

/** `--json` of `swaps list`: `{ swaps: [...] }`. */
export function swapListJson(swaps: readonly Swap[]): string {
  return renderJson({ swaps });
}

function typeFields(swap: Swap): [string, string][] {
  if (swap.type === "submarine") {
    return [
      ["invoice", swap.invoice],
      ["expected amount", satsLabel(swap.expectedAmountSats)],
      ["received amount", satsLabel(swap.receivedAmountSats)],
      ["funding outpoints", swap.fundingOutpoints.length === 0 ? "-" : swap.fundingOutpoints.join(", ")],
      ["routing fee budget", satsLabel(swap.routingFeeBudgetSats)],
      ["max timeout height", swap.maxTimeoutHeight.toString()],
      ["payment fee", swap.paymentFeeMsat === null ? "-" : `${swap.paymentFeeMsat.toString()} msat`],
      ["claim txid", swap.claimTxid ?? "-"],
      ["refund txid", swap.refundTxid ?? "-"],
      ["refund signed", formatTime(swap.refundSignedAt ?? null)],
    ];
  }
  return [
    ["hold invoice", swap.invoice],
    ["onchain amount", satsLabel(swap.onchainAmountSats)],
    ["invoice expires", formatTime(swap.invoiceExpiresAt)],
    ["hold invoice cltv", swap.holdInvoiceCltvDelta.toString()],
    ["htlc expiry height", swap.htlcExpiryHeight?.toString() ?? "-"],
    ["funding outpoint", swap.fundingOutpoint ?? "-"],
    ["claim txid", swap.claimTxid ?? "-"],
    ["refund txid", swap.refundTxid ?? "-"],
  ];
}

const EVENT_COLUMNS: readonly Column<SwapEvent>[] = [
  { header: "TIME", value: (e) => formatTime(e.createdAt) },
  { header: "EVENT", value: (e) => e.event },
  { header: "FROM", value: (e) => e.fromStatus ?? "-" },
  { header: "TO", value: (e) => e.toStatus },
  { header: "DATA", value: (e) => (e.data === null || e.data === undefined ? "" : JSON.stringify(e.data)) },
];

/** One swap with every field and its event log, oldest event first. */
export function renderSwapDetail(swap: Swap, events: readonly SwapEvent[]): string {
  const fields: [string, string][] = [
    ["status", `${swap.status} (version ${swap.version})`],
    ["created", formatTime(swap.createdAt)],
    ["updated", formatTime(swap.updatedAt)],
    ["payment hash", swap.paymentHash],
    ["invoice amount", satsLabel(swap.invoiceAmountSats)],
    ["fee", satsLabel(swap.feeSats)],
    ...typeFields(swap),
    ["lockup address", swap.lockupAddress],
    ["sender key", swap.senderPubkey],
    ["receiver key", swap.receiverPubkey],
    ["server key", swap.serverPubkey],
    ["refund locktime", swap.refundLocktime.toString()],
    [
      "unilateral delays",
      `claim ${swap.unilateralClaimDelay}, refund ${swap.unilateralRefundDelay}, refund w/o receiver ${swap.unilateralRefundWithoutReceiverDelay}`,
    ],
    ["expires", formatTime(swap.expiresAt)],
    ["failure", swap.failureReason ?? "-"],
  ];
  const log = events.length === 0 ? "  (no events)" : renderTable(EVENT_COLUMNS, events).replace(/^/gm, "  ");
  return `Swap ${swap.id} (${swap.type})\n${renderFields(fields)}\n\nEvents\n${log}`;
}

/** `--json` of `swaps show`: `{ swap, events }`. */
export function swapDetailJson(swap: Swap, events: readonly SwapEvent[]): string {
  return renderJson({ swap, events });
}
