/**
 * submarine_swaps.refunded_from: the failure status a submarine swap left when the wallet took its
 * VHTLC back (`payment_failed` or `funding_rejected`), written by the same transition that moves
 * it to `refunded`. The API keeps reporting that failure (`invoice.failedToPay` /
 * `transaction.lockupFailed`) after the refund, as Boltz does: `transaction.refunded` is a
 * reverse/chain status that Boltz clients do not treat as final for a submarine swap.
 * Swaps refunded before this migration are backfilled from their `vhtlc_refunded` event row (its
 * from_status is the fact); any left null are inferred when read (src/domain/public-status.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("submarine_swaps")
    .addColumn("refunded_from", "text", (c) =>
      c.check(sql`refunded_from in ('payment_failed', 'funding_rejected')`),
    )
    .execute();
  await sql`
    update submarine_swaps s set refunded_from = e.from_status
    from (
      select distinct on (swap_id) swap_id, from_status from swap_events
      where event = 'vhtlc_refunded' and to_status = 'refunded'
        and from_status in ('payment_failed', 'funding_rejected')
      order by swap_id, id desc
    ) e, swaps w
    where s.swap_id = e.swap_id and w.id = s.swap_id and w.type = 'submarine' and w.status = 'refunded'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("submarine_swaps").dropColumn("refunded_from").execute();
}
