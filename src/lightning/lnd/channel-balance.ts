/**
 * The LND channel balance (the CLI's `balance`). The Lightning port has no balance method (the
 * swap engine never needs one), so the adapter offers it beside the port: one ln-service call,
 * like its other files.
 */
import { createRequire } from "node:module";
import { toLightningError } from "./lnd-error.js";
import type { LndContext } from "./ln-service.js";

export interface ChannelBalance {
  /** Spendable in channels (local side). */
  readonly localSats: bigint;
  /** Funds in channels still opening. */
  readonly pendingSats: bigint;
  /** In flight (HTLCs not yet resolved). */
  readonly unsettledSats: bigint;
}

interface LnChannelBalance {
  channel_balance: number;
  pending_balance: number;
  unsettled_balance?: number;
}

type GetChannelBalance = (args: { lnd: object }) => Promise<LnChannelBalance>;

/** @throws GatewayError `ln.*` */
export async function channelBalance(ctx: LndContext): Promise<ChannelBalance> {
  const { getChannelBalance } = createRequire(import.meta.url)("ln-service") as {
    getChannelBalance: GetChannelBalance;
  };
  try {
    const b = await getChannelBalance({ lnd: ctx.lnd });
    return {
      localSats: BigInt(b.channel_balance),
      pendingSats: BigInt(b.pending_balance),
      unsettledSats: BigInt(b.unsettled_balance ?? 0),
    };
  } catch (err) {
    throw toLightningError(err, "getChannelBalance");
  }
}
