/**
 * The swap engine's port to persistence (implemented over Postgres by src/db/swap-store.ts, in
 * memory by test/fakes/memory-swap-store.ts). Every status change goes through `transition`
 * (compare-and-set + event row, invariant 4).
 */
import type { NewSwap, PatchOf, Swap, SwapOf } from "../../domain/swap-records.js";
import type { StatusOf, SwapType } from "../../domain/swap-types.js";

export interface Transition<T extends SwapType> {
  readonly id: string;
  readonly type: T;
  readonly from: StatusOf[T];
  readonly to: StatusOf[T];
  /** What happened, e.g. "vtxo_seen", "payment_succeeded" (the engine's event name). */
  readonly event: string;
  /** Event details stored as jsonb (bigints become strings). Never put secrets here. */
  readonly data?: Record<string, unknown>;
  /** Columns to change along with the status. */
  readonly patch?: PatchOf[T];
  /** Also require this version (stricter than the status alone). */
  readonly expectedVersion?: number;
}

export interface SwapEvent {
  readonly id: bigint;
  readonly swapId: string;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly event: string;
  readonly data: unknown;
  readonly createdAt: Date;
}

export interface SwapFilter {
  readonly type?: SwapType;
  /** Only swaps the engine still works on (not terminal). */
  readonly openOnly?: boolean;
  /** Swaps whose VHTLC sender or receiver is this key (33-byte compressed hex). */
  readonly pubkey?: string;
  /** At most this many, newest first (default 100, at most 1000). */
  readonly limit?: number;
}

export interface SwapStore {
  /** @throws GatewayError `db.duplicate` */
  insert(swap: NewSwap, data?: Record<string, unknown>): Promise<Swap>;
  find(id: string): Promise<Swap | undefined>;
  findByPaymentHash(paymentHash: string): Promise<Swap | undefined>;
  /**
   * CAS + event row, atomically. @returns the swap as it is after the change (what a `find`
   * would read now); undefined when the swap moved on meanwhile (nothing written)
   */
  transition<T extends SwapType>(t: Transition<T>): Promise<SwapOf[T] | undefined>;
  /** Every swap of both types the engine still works on. */
  listOpen(): Promise<Swap[]>;
  list(filter?: SwapFilter): Promise<Swap[]>;
  events(swapId: string): Promise<SwapEvent[]>;
  /** Idempotent; the database refuses a preimage that does not hash to `paymentHash`. */
  savePreimage(paymentHash: string, preimage: string): Promise<void>;
  /** The stored preimage (a secret: never log it), or undefined. */
  findPreimage(paymentHash: string): Promise<string | undefined>;
  markPreimageSettled(paymentHash: string): Promise<void>;
}
