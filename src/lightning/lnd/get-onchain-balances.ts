/**
 * LND's onchain wallet balance (ln-service `getChainBalance` + `getPendingChainBalance`) and its
 * channels' balances both ways (`getChannels`): what `liquidity status` shows.
 */
import type { LndContext } from "./ln-service.js";
import { toLightningError } from "./lnd-error.js";

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

interface LnBalances {
  getChainBalance(args: { lnd: unknown }): Promise<{ chain_balance: number }>;
  getPendingChainBalance(args: { lnd: unknown }): Promise<{ pending_chain_balance: number }>;
  getChannels(args: {
    lnd: unknown;
  }): Promise<{ channels: { is_active: boolean; local_balance: number; remote_balance: number }[] }>;
}

/** @throws GatewayError `ln.*` */
export async function getOnchainBalances(ctx: LndContext): Promise<OnchainBalances> {
  const ln = ctx.ln as unknown as LnBalances;
  try {
    const [c, p] = await Promise.all([
      ln.getChainBalance({ lnd: ctx.lnd }),
      ln.getPendingChainBalance({ lnd: ctx.lnd }),
    ]);
    return { confirmedSats: BigInt(c.chain_balance), pendingSats: BigInt(p.pending_chain_balance) };
  } catch (err) {
    throw toLightningError(err, "getChainBalance");
  }
}

/** @throws GatewayError `ln.*` */
export async function getChannelLiquidity(ctx: LndContext): Promise<ChannelLiquidity> {
  const ln = ctx.ln as unknown as LnBalances;
  let res;
  try {
    res = await ln.getChannels({ lnd: ctx.lnd });
  } catch (err) {
    throw toLightningError(err, "getChannels");
  }
  let localSats = 0n;
  let remoteSats = 0n;
  let active = 0;
  for (const c of res.channels) {
    if (!c.is_active) continue;
    active++;
    localSats += BigInt(c.local_balance);
    remoteSats += BigInt(c.remote_balance);
  }
  return { localSats, remoteSats, activeChannels: active, inactiveChannels: res.channels.length - active };
}
