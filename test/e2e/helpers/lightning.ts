/**
 * The Lightning side of e2e tests: ln-service clients for alice (the gateway's node), carol
 * (the router) and bob (payer / merchant), invoices, payments and balances.
 */
import { call } from "../../../src/regtest/channels.js";
import { connectLnd, lnService, type Lnd, type LnPayResult } from "../../../src/regtest/ln-client.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import type { LndNodeName } from "../../../src/regtest/settings.js";

const clients = new Map<string, Lnd>();

/** An authenticated ln-service `lnd` for a node of the network (cached). */
export function lndOf(net: NetworkFile, node: LndNodeName): Lnd {
  const key = `${net.dataDir}:${node}`;
  let lnd = clients.get(key);
  if (lnd === undefined) {
    lnd = connectLnd(net.lnd[node]);
    clients.set(key, lnd);
  }
  return lnd;
}

/** Forgets cached clients (after a node restarted, its gRPC connection is stale). */
export function resetLndClients(): void {
  clients.clear();
}

export interface CreatedInvoice {
  readonly id: string;
  readonly request: string;
  readonly secret: string;
  readonly tokens: number;
}

/** A plain BOLT11 invoice of `sats` on `node`. */
export async function createInvoice(
  net: NetworkFile,
  node: LndNodeName,
  sats: number,
  description = "e2e",
): Promise<CreatedInvoice> {
  return call(`${node} createInvoice`, () =>
    lnService().createInvoice({ lnd: lndOf(net, node), tokens: sats, description }),
  );
}

/** Pays a BOLT11 request from `node`; resolves with the settled payment (hops, fee, preimage). */
export async function payInvoice(
  net: NetworkFile,
  node: LndNodeName,
  request: string,
  maxFeeSats = 1_000,
): Promise<LnPayResult> {
  return call(`${node} pay`, () =>
    lnService().pay({ lnd: lndOf(net, node), request, max_fee: maxFeeSats, pathfinding_timeout: 60_000 }),
  );
}

/** Resolves once the invoice `id` on `node` is settled; returns the received sats. */
export async function waitForInvoicePaid(
  net: NetworkFile,
  node: LndNodeName,
  id: string,
  timeoutMs = 60_000,
): Promise<number> {
  return waitFor(`invoice ${id.slice(0, 12)} on ${node} paid`, timeoutMs, async () => {
    const inv = await call(`${node} getInvoice`, () => lnService().getInvoice({ lnd: lndOf(net, node), id }));
    return inv.is_confirmed ? inv.received : undefined;
  });
}

/** Local balance of a node's channels, in sats. */
export async function channelBalance(net: NetworkFile, node: LndNodeName): Promise<number> {
  const r = await call(`${node} getChannelBalance`, () =>
    lnService().getChannelBalance({ lnd: lndOf(net, node) }),
  );
  return r.channel_balance;
}

/** The node's channel with `partner` (throws if there is none). */
export async function channelWith(net: NetworkFile, node: LndNodeName, partner: LndNodeName) {
  const { channels } = await call(`${node} getChannels`, () =>
    lnService().getChannels({ lnd: lndOf(net, node) }),
  );
  const ch = channels.find((c) => c.partner_public_key === net.lnd[partner].identityPubkey);
  if (ch === undefined) throw new Error(`${node} has no channel with ${partner}`);
  return ch;
}

/** Local balance of a node's channels, in millisatoshis (exact: fees are msat amounts). */
export async function channelBalanceMsat(net: NetworkFile, node: LndNodeName): Promise<bigint> {
  const r = await call(`${node} getChannelBalance`, () =>
    lnService().getChannelBalance({ lnd: lndOf(net, node) }),
  );
  if (r.channel_balance_mtokens === undefined)
    throw new Error(`${node}: LND gave no channel_balance_mtokens`);
  return BigInt(r.channel_balance_mtokens);
}

/**
 * Waits (up to `timeoutMs`, then goes on) until no channel of the network has an HTLC in flight:
 * a payment resolves for its sender before every hop has settled its side, and a channel balance
 * read in between is off by the HTLC. Balances compared to the msat are read after this.
 */
export async function lightningSettled(net: NetworkFile, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const node of ["alice", "carol", "bob"] as const) {
      const { channels } = await call(`${node} getChannels`, () =>
        lnService().getChannels({ lnd: lndOf(net, node) }),
      );
      for (const c of channels as { pending_payments?: unknown[] }[])
        pending += c.pending_payments?.length ?? 0;
    }
    if (pending === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
