import { describe, expect, it } from "vitest";
import { channelBalance } from "../../../src/lightning/lnd/channel-balance.js";
import { getHeight } from "../../../src/lightning/lnd/get-height.js";
import { getInfo, type LndGetInfo } from "../../../src/lightning/lnd/get-info.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";
import { caught, ctxOf, grpcError, PUBKEY } from "../../fakes/lnd-context.js";
import { fakeLndRpc } from "../../fakes/fake-lnd-rpc.js";

/** A context whose `lightning.<method>` answers `answer` (or throws what it throws). */
const answering = (method: string, answer: () => unknown): LndContext => ({
  ...ctxOf({}),
  rpc: fakeLndRpc({ unary: { [`lightning.${method}`]: answer } }),
});
const failing = (err: unknown) => () => {
  throw err;
};

/** lnrpc.GetInfoResponse as our client decodes it. */
const getInfoResponse: LndGetInfo = {
  identity_pubkey: PUBKEY,
  alias: "alice",
  version: "0.20.1-beta commit=",
  chains: [
    { chain: "bitcoin", network: "regtest" },
    { chain: "litecoin", network: "regtest" },
  ],
  block_height: 101,
  block_hash: "1".repeat(64),
  synced_to_chain: false,
  synced_to_graph: false,
  num_active_channels: 0,
  num_peers: 2,
};

describe("getInfo and getHeight", () => {
  it("maps GetInfo, keeping only known chains", async () => {
    expect(await getInfo(answering("GetInfo", () => getInfoResponse))).toEqual({
      pubkey: PUBKEY,
      alias: "alice",
      version: "0.20.1-beta commit=",
      networks: ["regtest"],
      syncedToChain: false,
      syncedToGraph: false,
      blockHeight: 101,
      blockHash: "1".repeat(64),
      activeChannels: 0,
      peers: 2,
    });
  });

  it.each([
    ["mainnet", "mainnet"],
    ["testnet", "testnet"],
    ["testnet4", "testnet"],
    ["signet", "signet"],
    ["simnet", "simnet"],
  ])("reads LND's network %s as %s", async (network, expected) => {
    const res = { ...getInfoResponse, chains: [{ chain: "bitcoin", network }], synced_to_graph: true };
    expect(await getInfo(answering("GetInfo", () => res))).toMatchObject({
      networks: [expected],
      syncedToGraph: true,
    });
  });

  const infoErrors: { description: string; answer: () => unknown; expected: string }[] = [
    {
      description: "a malformed answer",
      answer: () => ({ ...getInfoResponse, identity_pubkey: "" }),
      expected: "ln.unexpected_response",
    },
    {
      description: "a locked wallet",
      answer: failing(grpcError(2, "wallet locked, unlock it to enable full RPC access")),
      expected: "ln.wallet_locked",
    },
    {
      description: "a bad macaroon",
      answer: failing(grpcError(2, "verification failed: signature mismatch after caveat verification")),
      expected: "ln.permission_denied",
    },
  ];
  it.each(infoErrors)("getInfo: $description is $expected", async ({ answer, expected }) => {
    expect((await caught(() => getInfo(answering("GetInfo", answer)))).code).toBe(expected);
  });

  const heights: { description: string; answer: () => unknown; expected: number | string }[] = [
    { description: "a height", answer: () => ({ ...getInfoResponse, block_height: 812 }), expected: 812 },
    {
      description: "a negative height",
      answer: () => ({ ...getInfoResponse, block_height: -1 }),
      expected: "ln.unexpected_response",
    },
    { description: "a missing height", answer: () => ({}), expected: "ln.unexpected_response" },
    {
      description: "LND down",
      answer: failing(grpcError(14, "failed to connect to all addresses")),
      expected: "ln.unavailable",
    },
  ];
  it.each(heights)("getHeight: $description", async ({ answer, expected }) => {
    const ctx = answering("GetInfo", answer);
    if (typeof expected === "number") expect(await getHeight(ctx)).toBe(expected);
    else expect((await caught(() => getHeight(ctx))).code).toBe(expected);
  });
});

describe("channelBalance", () => {
  const amount = (sat: string) => ({ sat, msat: `${sat}000` });

  it("reads the local, pending and unsettled sats exactly", async () => {
    const ctx = answering("ChannelBalance", () => ({
      balance: "0",
      pending_open_balance: "0",
      local_balance: amount("2100000000000000"),
      remote_balance: amount("5"),
      unsettled_local_balance: amount("3"),
      unsettled_remote_balance: amount("0"),
      pending_open_local_balance: amount("20000"),
      pending_open_remote_balance: amount("0"),
    }));
    expect(await channelBalance(ctx)).toEqual({
      localSats: 2_100_000_000_000_000n,
      pendingSats: 20_000n,
      unsettledSats: 3n,
    });
  });

  it("reads absent balances as zero and refuses a malformed one", async () => {
    const empty = { local_balance: null, pending_open_local_balance: null, unsettled_local_balance: null };
    expect(await channelBalance(answering("ChannelBalance", () => empty))).toEqual({
      localSats: 0n,
      pendingSats: 0n,
      unsettledSats: 0n,
    });
    const bad = { ...empty, local_balance: amount("1e3") };
    expect((await caught(() => channelBalance(answering("ChannelBalance", () => bad)))).code).toBe(
      "ln.unexpected_response",
    );
  });

  it("maps LND's errors", async () => {
    const ctx = answering("ChannelBalance", failing(grpcError(14, "No connection established")));
    expect((await caught(() => channelBalance(ctx))).code).toBe("ln.unavailable");
  });
});
