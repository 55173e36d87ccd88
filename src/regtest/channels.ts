/**
 * The Lightning topology: fund alice, carol and bob from the faucet, open alice→carol and
 * carol→bob with half of each channel pushed to the other side (liquidity both ways), confirm,
 * and wait until bob routes to alice and alice to bob through carol. Idempotent: skips what exists.
 */
import type { BtcdHandle } from "./btcd.js";
import { connectLnd, lnService, type Lnd } from "./ln-client.js";
import { describeError } from "./lnd.js";
import type { LndNodeInfo } from "./network-file.js";
import { waitFor } from "./process.js";
import type { LndNodeName } from "./settings.js";

export const CHANNEL_CAPACITY_SATS = 5_000_000;
export const CHANNEL_PUSH_SATS = 2_500_000;
/** On-chain funds per LND wallet (enough for its channel and later tests). */
export const WALLET_FUNDING_SATS = 500_000_000n;

/** The channels `up` opens: [opener, partner]. */
export const CHANNELS: readonly (readonly [LndNodeName, LndNodeName])[] = [
  ["alice", "carol"],
  ["carol", "bob"],
];

type Nodes = Readonly<Record<LndNodeName, LndNodeInfo>>;

export async function setUpChannels(nodes: Nodes, btcd: BtcdHandle, log: (l: string) => void): Promise<void> {
  const ln = lnService();
  const lnds = {
    alice: connectLnd(nodes.alice),
    carol: connectLnd(nodes.carol),
    bob: connectLnd(nodes.bob),
  } satisfies Record<LndNodeName, Lnd>;

  await fundWallets(nodes, lnds, btcd, log);

  let opened = 0;
  for (const [from, to] of CHANNELS) {
    const existing = await hasChannel(lnds[from], nodes[to].identityPubkey);
    if (existing) continue;
    await connectPeer(lnds[from], nodes[to], log, from);
    await call(`${from} openChannel to ${to}`, () =>
      ln.openChannel({
        lnd: lnds[from],
        local_tokens: CHANNEL_CAPACITY_SATS,
        partner_public_key: nodes[to].identityPubkey,
        give_tokens: CHANNEL_PUSH_SATS,
        chain_fee_tokens_per_vbyte: 2,
      }),
    );
    log(`lnd: opening ${from}→${to} (${CHANNEL_CAPACITY_SATS} sat, ${CHANNEL_PUSH_SATS} pushed)`);
    opened++;
  }
  if (opened > 0) {
    await waitFor("funding txs in the mempool", 60_000, async () => {
      const mempool = await btcd.call<string[]>("getrawmempool");
      return mempool.length >= opened;
    });
    // 6 confirmations: channels are announced (and so routable by others) only after 6.
    await btcd.mine(6);
  }
  for (const [from, to] of CHANNELS) {
    await waitFor(`channel ${from}→${to} active`, 120_000, () =>
      hasChannel(lnds[from], nodes[to].identityPubkey, true),
    );
  }
  log("lnd: channels active; waiting for the graph to route bob→alice and alice→bob");
  await waitForRoute(lnds.bob, nodes.alice.identityPubkey, "bob→alice", btcd);
  await waitForRoute(lnds.alice, nodes.bob.identityPubkey, "alice→bob", btcd);
  log("lnd: routes ready");
}

async function fundWallets(
  nodes: Nodes,
  lnds: Record<LndNodeName, Lnd>,
  btcd: BtcdHandle,
  log: (l: string) => void,
): Promise<void> {
  const ln = lnService();
  const outputs: { address: string; sats: bigint }[] = [];
  const names: LndNodeName[] = [];
  for (const name of Object.keys(nodes) as LndNodeName[]) {
    const { chain_balance } = await call(`${name} getChainBalance`, () =>
      ln.getChainBalance({ lnd: lnds[name] }),
    );
    const { channels } = await call(`${name} getChannels`, () => ln.getChannels({ lnd: lnds[name] }));
    if (chain_balance > 0 || channels.length > 0) continue;
    const { address } = await call(`${name} createChainAddress`, () =>
      ln.createChainAddress({ lnd: lnds[name], format: "p2wpkh" }),
    );
    outputs.push({ address, sats: WALLET_FUNDING_SATS });
    names.push(name);
  }
  if (outputs.length === 0) return;
  const txid = await btcd.send(outputs);
  await btcd.mine(1);
  log(`lnd: funded ${names.join(", ")} with ${WALLET_FUNDING_SATS} sat each (tx ${txid})`);
  for (const name of names) {
    await waitFor(`${name} on-chain balance`, 60_000, async () => {
      const { chain_balance } = await ln.getChainBalance({ lnd: lnds[name] });
      return chain_balance > 0;
    });
  }
}

async function connectPeer(
  lnd: Lnd,
  peer: LndNodeInfo,
  log: (l: string) => void,
  from: string,
): Promise<void> {
  const ln = lnService();
  const { peers } = await call(`${from} getPeers`, () => ln.getPeers({ lnd }));
  if (peers.some((p) => p.public_key === peer.identityPubkey)) return;
  await call(`${from} addPeer ${peer.name}`, () =>
    ln.addPeer({ lnd, public_key: peer.identityPubkey, socket: peer.p2pAddress, timeout: 10_000 }),
  );
  log(`lnd: ${from} connected to ${peer.name}`);
}

async function hasChannel(lnd: Lnd, partner: string, activeOnly = false): Promise<boolean> {
  const ln = lnService();
  const { channels } = await call("getChannels", () => ln.getChannels({ lnd }));
  if (channels.some((c) => c.partner_public_key === partner && (!activeOnly || c.is_active))) return true;
  if (activeOnly) return false;
  const { pending_channels } = await call("getPendingChannels", () => ln.getPendingChannels({ lnd }));
  return pending_channels.some((c) => c.partner_public_key === partner);
}

async function waitForRoute(lnd: Lnd, destination: string, what: string, btcd: BtcdHandle): Promise<void> {
  let attempts = 0;
  await waitFor(
    `route ${what}`,
    180_000,
    async () => {
      // Announcements need 6 confirmations; a block now and then nudges gossip along.
      if (++attempts % 20 === 0) await btcd.mine(1);
      const { route } = await call(`route ${what}`, () =>
        lnService().getRouteToDestination({ lnd, destination, tokens: 10_000 }),
      );
      return route !== undefined;
    },
    500,
  );
}

/** Runs an ln-service call, turning its array rejections into Errors that say what failed. */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${what}: ${describeError(err)}`);
  }
}
