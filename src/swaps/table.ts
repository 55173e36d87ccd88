/**
 * A swap type's state machine as data: states, events, allowed transitions, the terminal set and a
 * recovery edge from every non-terminal state (what the engine re-checks when it resumes a swap
 * found in that state). The engine never picks a target status itself: a step reports an event,
 * the table says where it leads, and the repository's compare-and-set writes it.
 */
import type { StatusOf, SwapType } from "../domain/swap-types.js";

/** What a recovery edge re-derives the swap's state from. */
export type RecoverySource =
  | "db" // the swap row, preimages, refund-signed fact
  | "lnd_invoice" // getInvoice: open / held (HTLC expiry) / settled / canceled
  | "lnd_payment" // getPayment: none / in_flight / succeeded / failed
  | "ark_vtxos" // vtxosAt(lockupScript): funding, spends, revealed preimages
  | "chain_height" // deadlines: refundLocktime, HTLC expiry
  | "chain_spend" // LND's chain notifier: the unrolled VHTLC's confirmation and its onchain spend
  | "clock"; // deadlines: invoice expiry

export interface TransitionRule<S extends string, E extends string> {
  readonly from: S;
  readonly event: E;
  readonly to: S;
}

export interface RecoveryEdge {
  /** What is asked again, in this order. */
  readonly recheck: readonly RecoverySource[];
  /** What the answers lead to (documentation and diagram label). */
  readonly description: string;
}

export interface TransitionTable<T extends SwapType, E extends string> {
  readonly type: T;
  readonly states: readonly StatusOf[T][];
  readonly initial: StatusOf[T];
  readonly events: readonly E[];
  readonly transitions: readonly TransitionRule<StatusOf[T], E>[];
  readonly terminal: ReadonlySet<StatusOf[T]>;
  /** One entry for every non-terminal state. */
  readonly recovery: Readonly<Partial<Record<StatusOf[T], RecoveryEdge>>>;
}

/**
 * Where `event` leads from `from`, or undefined when the table does not allow it (a stale or
 * misplaced event: the engine then changes nothing).
 */
export function nextStatus<T extends SwapType, E extends string>(
  table: TransitionTable<T, E>,
  from: StatusOf[T],
  event: E,
): StatusOf[T] | undefined {
  return table.transitions.find((t) => t.from === from && t.event === event)?.to;
}

/**
 * Structural problems of a table (empty when sound): unknown states or events, duplicate
 * (from, event) pairs, transitions out of terminal states other than self-loops, non-terminal
 * states without a recovery edge or without a way out, states unreachable from the initial one.
 */
export function tableProblems<T extends SwapType, E extends string>(table: TransitionTable<T, E>): string[] {
  const problems: string[] = [];
  const states = new Set<string>(table.states);
  const events = new Set<string>(table.events);
  const seen = new Set<string>();
  for (const t of table.transitions) {
    if (!states.has(t.from) || !states.has(t.to)) problems.push(`unknown state in ${t.from} → ${t.to}`);
    if (!events.has(t.event)) problems.push(`unknown event ${t.event}`);
    const key = `${t.from}|${t.event}`;
    if (seen.has(key)) problems.push(`duplicate transition ${t.from} --${t.event}-->`);
    seen.add(key);
    if (table.terminal.has(t.from) && t.to !== t.from) problems.push(`transition out of terminal ${t.from}`);
  }
  for (const s of table.states) {
    if (table.terminal.has(s)) continue;
    if (table.recovery[s] === undefined) problems.push(`no recovery edge from ${s}`);
    if (!table.transitions.some((t) => t.from === s && t.to !== s)) problems.push(`no way out of ${s}`);
  }
  const reached = new Set<string>([table.initial]);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of table.transitions) {
      if (reached.has(t.from) && !reached.has(t.to)) {
        reached.add(t.to);
        grew = true;
      }
    }
  }
  for (const s of table.states) if (!reached.has(s)) problems.push(`${s} is unreachable`);
  for (const e of table.events) {
    if (!table.transitions.some((t) => t.event === e)) problems.push(`event ${e} is never used`);
  }
  return problems;
}
