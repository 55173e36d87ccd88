/**
 * LND's onchain wallet balance (lightning WalletBalance: confirmed and unconfirmed) and its
 * channels' balances both ways (ListChannels): what `liquidity status` shows.
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { parseInt64 } from "./chain-wire.js";

export interface OnchainBalances {
  /** Confirmed onchain balance. */
  readonly confirmedSats: bigint;
  /** Unconfirmed onchain balance. */
  readonly pendingSats: bigint;
}

export interface ChannelLiquidity {
  /** Σ local balance of active channels (what the gateway can send). */
  readonly localSats: bigint;
  /** Σ remote balance of active channels (what it can receive). */
  readonly remoteSats: bigint;
  readonly activeChannels: number;
  readonly inactiveChannels: number;
}

/** lnrpc.Channel, the fields we read. */
interface RpcChannel {
  active?: boolean;
  local_balance?: string;
  remote_balance?: string;
}

/** @throws GatewayError `ln.*` */
export async function getOnchainBalances(ctx: LndContext): Promise<OnchainBalances> {
  let res;
  try {
    res = await ctx.rpc.unary<{ confirmed_balance?: string; unconfirmed_balance?: string }>(
      "lightning",
      "WalletBalance",
      {},
    );
  } catch (err) {
    throw toLightningError(err, "walletBalance");
  }
  const confirmedSats = parseInt64(res.confirmed_balance);
  const pendingSats = parseInt64(res.unconfirmed_balance);
  if (confirmedSats === undefined || pendingSats === undefined)
    throw lnError("ln.unexpected_response", "walletBalance: LND returned no balance", {});
  return { confirmedSats, pendingSats };
}

/** @throws GatewayError `ln.*` */
export async function getChannelLiquidity(ctx: LndContext): Promise<ChannelLiquidity> {
  let res;
  try {
    res = await ctx.rpc.unary<{ channels?: RpcChannel[] }>("lightning", "ListChannels", {});
  } catch (err) {
    throw toLightningError(err, "listChannels");
  }
  if (!Array.isArray(res.channels))
    throw lnError("ln.unexpected_response", "listChannels: no channel list", {});
  let localSats = 0n;
  let remoteSats = 0n;
  let active = 0;
  for (const c of res.channels) {
    if (c.active !== true) continue;
    const local = parseInt64(c.local_balance);
    const remote = parseInt64(c.remote_balance);
    if (local === undefined || remote === undefined)
      throw lnError("ln.unexpected_response", "listChannels: a channel without balances", {});
    active++;
    localSats += local;
    remoteSats += remote;
  }
  return { localSats, remoteSats, activeChannels: active, inactiveChannels: res.channels.length - active };
}
