/**
 * Swap types, their rich internal statuses, the Boltz v2 public status vocabulary, and the one
 * table that maps internal → public per type. Internal statuses are what the engine and the
 * database use; clients only ever see the public ones.
 */
export const SWAP_TYPES = ["submarine", "reverse"] as const;
export type SwapType = (typeof SWAP_TYPES)[number];

/** Submarine (Ark→LN) internal statuses. */
export const SUBMARINE_STATUSES = [
  /** Created with its invoice; waiting for the wallet to fund the VHTLC. */
  "awaiting_funding",
  /** A VTXO at the VHTLC address is seen, not yet checked. */
  "funding_detected",
  /** The VTXO's amount and script are accepted. */
  "funded",
  /** The LN payment is in flight. */
  "paying",
  /** The LN payment succeeded; the preimage is durable. */
  "paid",
  /** The VHTLC claim (ark tx with the preimage) is submitted. */
  "claiming",
  /**
   * A funding VTXO was unrolled onchain after the payment: the gateway's onchain claim
   * (unilateralClaim with the preimage, to its LND wallet) is signed and stored, and broadcast
   * until it confirms.
   */
  "claiming_onchain",
  /** The VHTLC is claimed by the gateway. Success. */
  "claimed",
  /** The funding was refused (amount or script); the wallet may refund. */
  "funding_rejected",
  /** The LN payment definitely failed; the wallet may refund (co-signed). */
  "payment_failed",
  /** The wallet took the VHTLC back. */
  "refunded",
  /** Never funded before the swap expired. */
  "expired",
  /**
   * The LN payment succeeded but the VHTLC was spent by something other than the gateway's claim
   * (the wallet's refundWithoutReceiver after refundLocktime): the gateway lost the amount.
   */
  "claim_lost",
] as const;
export type SubmarineStatus = (typeof SUBMARINE_STATUSES)[number];

/** The submarine failure statuses a wallet refunds from: what `refunded` remembers it came from. */
export const SUBMARINE_REFUNDED_FROM = ["payment_failed", "funding_rejected"] as const;
export type SubmarineRefundedFrom = (typeof SUBMARINE_REFUNDED_FROM)[number];

export function isSubmarineRefundedFrom(value: unknown): value is SubmarineRefundedFrom {
  return typeof value === "string" && (SUBMARINE_REFUNDED_FROM as readonly string[]).includes(value);
}

/** Reverse (LN→Ark) internal statuses. */
export const REVERSE_STATUSES = [
  /** The hold invoice exists; waiting for a payer. */
  "invoice_created",
  /** An HTLC paying the hold invoice is accepted and held. */
  "invoice_held",
  /** The gateway is funding the VHTLC from its own VTXOs. */
  "funding",
  /** The VHTLC VTXO exists; waiting for the wallet to claim it. */
  "funded",
  /** The wallet claimed the VHTLC; the revealed preimage is durable. */
  "preimage_learned",
  /** The hold invoice is settled with the preimage. Success. */
  "settled",
  /** Nobody paid the hold invoice in time. */
  "invoice_expired",
  /** Funding the VHTLC failed; the hold invoice must be cancelled. */
  "funding_failed",
  /** The hold invoice was cancelled after a failed funding; the payer has its money back. */
  "invoice_cancelled",
  /** refundLocktime passed unclaimed; the gateway is taking its VTXO back. */
  "refunding",
  /**
   * The VHTLC was unrolled (it is onchain) and left unclaimed: the gateway's onchain refund
   * (unilateralRefundWithoutReceiver, to its LND wallet) is signed and durable, being broadcast.
   */
  "refunding_onchain",
  /** The gateway took its VTXO back and cancelled the hold invoice. */
  "refunded",
] as const;
export type ReverseStatus = (typeof REVERSE_STATUSES)[number];

export type SwapStatus = SubmarineStatus | ReverseStatus;
export interface StatusOf {
  submarine: SubmarineStatus;
  reverse: ReverseStatus;
}

/** Boltz v2's public status vocabulary (`GET /v2/swap/{id}`, `swap.update`). */
export const BOLTZ_STATUSES = [
  "swap.created",
  "swap.expired",
  "invoice.set",
  "invoice.pending",
  "invoice.paid",
  "invoice.settled",
  "invoice.failedToPay",
  "invoice.expired",
  "transaction.mempool",
  "transaction.confirmed",
  "transaction.claim.pending",
  "transaction.claimed",
  "transaction.refunded",
  "transaction.failed",
  "transaction.lockupFailed",
] as const;
export type BoltzStatus = (typeof BOLTZ_STATUSES)[number];

/**
 * THE mapping internal → public. Several internal statuses may share a public one: clients
 * see progress in Boltz's terms, the engine keeps what it needs to resume.
 */
export const PUBLIC_STATUS: { readonly [T in SwapType]: Readonly<Record<StatusOf[T], BoltzStatus>> } = {
  submarine: {
    awaiting_funding: "invoice.set",
    funding_detected: "transaction.mempool",
    funded: "transaction.confirmed",
    paying: "invoice.pending",
    paid: "invoice.paid",
    claiming: "transaction.claim.pending",
    claiming_onchain: "transaction.claim.pending",
    claimed: "transaction.claimed",
    funding_rejected: "transaction.lockupFailed",
    payment_failed: "invoice.failedToPay",
    // A refunded submarine swap keeps the failure it was refunded from, as Boltz does:
    // `transaction.refunded` is a reverse/chain status, and @arkade-os/boltz-swap 0.3.x treats
    // only invoice.failedToPay / transaction.claimed / swap.expired as final for a submarine swap
    // (anything else: restoreSwaps asks for a preimage, SwapManager watches it forever). The
    // wallet tracks "refunded" itself. This entry is the default; publicStatus()
    // (src/domain/public-status.ts) answers transaction.lockupFailed for one refunded from
    // funding_rejected.
    refunded: "invoice.failedToPay",
    expired: "swap.expired",
    // The gateway paid the invoice, then the wallet took the VHTLC back (refundWithoutReceiver
    // after the locktime) before our claim: our loss. Not transaction.claimed: the gateway never
    // got the lockup (our books show the loss), and a claimed swap tells the wallet its sats went
    // to the payee although they are back in it (it would also fetch a preimage and count the
    // VHTLC as a recovery candidate). Not swap.expired: in Boltz's vocabulary that is an unfunded
    // swap. invoice.failedToPay is final for every client version and matches what the wallet's
    // lockup did (it came back to it); failureReason says what really happened.
    claim_lost: "invoice.failedToPay",
  },
  reverse: {
    invoice_created: "swap.created",
    // The payer's HTLC and our funding are invisible to the wallet until the VTXO exists.
    invoice_held: "swap.created",
    funding: "swap.created",
    funded: "transaction.mempool",
    // The wallet already claimed; "settled" is only told once the hold invoice really is.
    preimage_learned: "transaction.mempool",
    settled: "invoice.settled",
    invoice_expired: "invoice.expired",
    funding_failed: "transaction.failed",
    invoice_cancelled: "transaction.failed",
    refunding: "swap.expired",
    refunding_onchain: "swap.expired",
    refunded: "transaction.refunded",
  },
};

/** The success status of each type. */
export const SUCCESS_STATUS: { readonly [T in SwapType]: StatusOf[T] } = {
  submarine: "claimed",
  reverse: "settled",
};

/** Internal statuses after which the engine never acts on the swap again. */
export const TERMINAL_STATUSES: { readonly [T in SwapType]: ReadonlySet<StatusOf[T]> } = {
  submarine: new Set<SubmarineStatus>(["claimed", "refunded", "expired", "claim_lost"]),
  reverse: new Set<ReverseStatus>(["settled", "invoice_expired", "invoice_cancelled", "refunded"]),
};

/** Public statuses after which a client stops listening (Boltz's final sets per type). */
export const PUBLIC_FINAL_STATUSES: { readonly [T in SwapType]: ReadonlySet<BoltzStatus> } = {
  submarine: new Set<BoltzStatus>([
    "transaction.claimed",
    "transaction.lockupFailed",
    "invoice.failedToPay",
    "swap.expired",
  ]),
  reverse: new Set<BoltzStatus>([
    "invoice.settled",
    "invoice.expired",
    "swap.expired",
    "transaction.failed",
    "transaction.refunded",
  ]),
};

const STATUS_LISTS: { readonly [T in SwapType]: readonly StatusOf[T][] } = {
  submarine: SUBMARINE_STATUSES,
  reverse: REVERSE_STATUSES,
};

/** All internal statuses of a type, in lifecycle order. */
export function statusesOf<T extends SwapType>(type: T): readonly StatusOf[T][] {
  return STATUS_LISTS[type];
}

export function isSwapType(value: unknown): value is SwapType {
  return typeof value === "string" && (SWAP_TYPES as readonly string[]).includes(value);
}

/** Whether `value` is an internal status of `type` (e.g. when reading a database row). */
export function isStatusOf<T extends SwapType>(type: T, value: unknown): value is StatusOf[T] {
  return typeof value === "string" && (STATUS_LISTS[type] as readonly string[]).includes(value);
}

export function isBoltzStatus(value: unknown): value is BoltzStatus {
  return typeof value === "string" && (BOLTZ_STATUSES as readonly string[]).includes(value);
}

/**
 * The public status of an internal one, from the table alone. For a stored swap use
 * publicStatus(swap) (src/domain/public-status.ts): a refunded submarine swap's public status
 * depends on the failure it was refunded from.
 */
export function toPublicStatus<T extends SwapType>(type: T, status: StatusOf[T]): BoltzStatus {
  return (PUBLIC_STATUS[type] as Record<string, BoltzStatus>)[status] as BoltzStatus;
}

/** Whether the engine is done with a swap in this status. */
export function isTerminalStatus<T extends SwapType>(type: T, status: StatusOf[T]): boolean {
  return (TERMINAL_STATUSES[type] as ReadonlySet<string>).has(status);
}

/** The status a new swap of each type starts in. */
export const INITIAL_STATUS: { readonly [T in SwapType]: StatusOf[T] } = {
  submarine: "awaiting_funding",
  reverse: "invoice_created",
};
