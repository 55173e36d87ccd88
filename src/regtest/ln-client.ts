/**
 * The ln-service 58.x functions the regtest tools and e2e helpers call, typed with the fields we
 * read (ln-service ships no types): node administration (wallets, peers, channels, routes). The
 * gateway itself does not use ln-service; its LND client is src/lightning/lnd/rpc/.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export type Lnd = object;
type WithLnd<T = object> = T & { lnd: Lnd };

export interface LnChannel {
  id: string;
  capacity: number;
  is_active: boolean;
  local_balance: number;
  remote_balance: number;
  partner_public_key: string;
}

export interface LnHop {
  channel: string;
  public_key: string;
  fee_mtokens: string;
  forward_mtokens: string;
}

export interface LnPayResult {
  id: string;
  secret: string;
  fee: number;
  fee_mtokens: string;
  mtokens: string;
  tokens: number;
  hops: LnHop[];
}

export interface LnClient {
  authenticatedLndGrpc(args: { cert: string; macaroon: string; socket: string }): { lnd: Lnd };
  getWalletInfo(args: WithLnd): Promise<{
    public_key: string;
    alias: string;
    is_synced_to_chain: boolean;
    is_synced_to_graph?: boolean;
    current_block_height: number;
    active_channels_count: number;
    peers_count: number;
    version: string;
  }>;
  createChainAddress(args: WithLnd<{ format: "p2wpkh" | "p2tr" | "np2wpkh" }>): Promise<{ address: string }>;
  getChainBalance(args: WithLnd): Promise<{ chain_balance: number }>;
  getChannelBalance(args: WithLnd): Promise<{ channel_balance: number; channel_balance_mtokens?: string }>;
  addPeer(args: WithLnd<{ public_key: string; socket: string; timeout?: number }>): Promise<void>;
  getPeers(args: WithLnd): Promise<{ peers: { public_key: string }[] }>;
  openChannel(
    args: WithLnd<{
      local_tokens: number;
      partner_public_key: string;
      give_tokens?: number;
      chain_fee_tokens_per_vbyte?: number;
    }>,
  ): Promise<{ transaction_id: string; transaction_vout: number }>;
  getChannels(args: WithLnd<{ is_active?: boolean }>): Promise<{ channels: LnChannel[] }>;
  getPendingChannels(args: WithLnd): Promise<{ pending_channels: { partner_public_key: string }[] }>;
  getRouteToDestination(
    args: WithLnd<{ destination: string; tokens: number }>,
  ): Promise<{ route?: { hops: { public_key: string }[]; fee: number } }>;
  createInvoice(
    args: WithLnd<{ tokens: number; description?: string; expires_at?: string }>,
  ): Promise<{ id: string; request: string; secret: string; tokens: number }>;
  getInvoice(
    args: WithLnd<{ id: string }>,
  ): Promise<{ is_confirmed: boolean; received: number; tokens: number }>;
  pay(
    args: WithLnd<{ request: string; max_fee?: number; pathfinding_timeout?: number }>,
  ): Promise<LnPayResult>;
  decodePaymentRequest(
    args: WithLnd<{ request: string }>,
  ): Promise<{ id: string; tokens: number; destination: string }>;
}

let loaded: LnClient | undefined;

/** The real ln-service module (CommonJS), loaded once. */
export function lnService(): LnClient {
  loaded ??= createRequire(import.meta.url)("ln-service") as LnClient;
  return loaded;
}

/** What an authenticated ln-service client needs: paths from network.json and the gRPC socket. */
export interface LndCredentials {
  readonly grpcSocket: string;
  readonly tlsCertPath: string;
  readonly adminMacaroonPath: string;
}

/** An authenticated ln-service `lnd` object for a node. Reads cert and macaroon now. */
export function connectLnd(creds: LndCredentials): Lnd {
  const { lnd } = lnService().authenticatedLndGrpc({
    cert: readFileSync(creds.tlsCertPath).toString("base64"),
    macaroon: readFileSync(creds.adminMacaroonPath).toString("base64"),
    socket: creds.grpcSocket,
  });
  return lnd;
}
