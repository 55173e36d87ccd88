/**
 * ChannelBalance (lnrpc.Lightning): the LND channel balance (the CLI's `balance`). The Lightning
 * port has no balance method (the swap engine never needs one), so the adapter offers it beside
 * the port.
 */
import { lnError } from "../errors.js";
import { toLightningError } from "./lnd-error.js";
import type { LndContext } from "./context.js";

export interface ChannelBalance {
  /** Spendable in channels (local side). */
  readonly localSats: bigint;
  /** Funds in channels still opening. */
  readonly pendingSats: bigint;
  /** In flight (HTLCs not yet resolved). */
  readonly unsettledSats: bigint;
}

/** `lnrpc.Amount`: 64-bit integers as decimal strings. */
interface LndAmount {
  readonly sat: string;
  readonly msat: string;
}

/** `lnrpc.ChannelBalanceResponse`, the fields we read (absent messages decode as null). */
interface LndChannelBalance {
  readonly local_balance: LndAmount | null;
  readonly pending_open_local_balance: LndAmount | null;
  readonly unsettled_local_balance: LndAmount | null;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function satsOf(amount: LndAmount | null, field: string): bigint {
  if (amount === null) return 0n;
  if (typeof amount.sat !== "string" || !DECIMAL.test(amount.sat)) {
    throw lnError("ln.unexpected_response", `getChannelBalance: LND returned a malformed ${field}`, {
      field,
    });
  }
  return BigInt(amount.sat);
}

/** @throws GatewayError `ln.*` */
export async function channelBalance(ctx: LndContext): Promise<ChannelBalance> {
  let b: LndChannelBalance;
  try {
    b = await ctx.rpc.unary<LndChannelBalance>("lightning", "ChannelBalance", {});
  } catch (err) {
    throw toLightningError(err, "getChannelBalance");
  }
  return {
    localSats: satsOf(b.local_balance, "local_balance"),
    pendingSats: satsOf(b.pending_open_local_balance, "pending_open_local_balance"),
    unsettledSats: satsOf(b.unsettled_local_balance, "unsettled_local_balance"),
  };
}
