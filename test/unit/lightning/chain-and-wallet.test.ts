/**
 * The LND adapter's chain and onchain-wallet functions against a fake of our gRPC client
 * answering with LND's wire shapes (64-bit integers as decimal strings, bytes as Buffers).
 */
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  chainFeeRate,
  publishTransaction,
  subscribeToChainConfirmation,
} from "../../../src/lightning/lnd/chain-tx.js";
import { createChainAddress } from "../../../src/lightning/lnd/create-chain-address.js";
import { getChainTransactions } from "../../../src/lightning/lnd/get-chain-transactions.js";
import { getChannelLiquidity, getOnchainBalances } from "../../../src/lightning/lnd/get-onchain-balances.js";
import { createLndChain } from "../../../src/lightning/lnd/lnd-chain.js";
import { createLndOnchainWallet } from "../../../src/lightning/lnd/lnd-onchain.js";
import { sendToChainAddress } from "../../../src/lightning/lnd/send-to-chain-address.js";
import {
  createLndChainSpends,
  subscribeToChainSpend,
} from "../../../src/lightning/lnd/subscribe-to-chain-spend.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";
import { GRPC } from "../../../src/lightning/lnd/lnd-error.js";
import { FakeLndStream, fakeLndRpc, type FakeLndRpcHandlers } from "../../fakes/fake-lnd-rpc.js";
import { caught, ctxOf, grpcError } from "../../fakes/lnd-context.js";

const TXID = `${"00".repeat(31)}01`;
const SCRIPT = `5120${"ab".repeat(32)}`;
const P2TR = "bcrt1pw733lrklraplun7xdgmk7kxdn5nc9y2yt6klht344sz5shekdzks26jp47";

function rawTx(seed: number): { raw: Buffer; txid: string } {
  const t = new Transaction({
    allowUnknownOutputs: true,
    allowUnknownInputs: true,
    disableScriptCheck: true,
  });
  t.addOutput({ script: hex.decode(SCRIPT), amount: 1000n });
  t.addInput({
    txid: new Uint8Array(32).fill(seed),
    index: 1,
    finalScriptWitness: [new Uint8Array(64).fill(seed)],
  });
  return { raw: Buffer.from(t.toBytes(true, true)), txid: t.id };
}

/** A context whose fake client is reachable, to read the requests it received. */
function ctxWith(handlers: FakeLndRpcHandlers): { ctx: LndContext; rpc: ReturnType<typeof fakeLndRpc> } {
  const rpc = fakeLndRpc(handlers);
  return { ctx: { ...ctxOf({}), rpc }, rpc };
}

async function next<T>(stream: AsyncIterable<T>): Promise<IteratorResult<T>> {
  return stream[Symbol.asyncIterator]().next();
}

describe("subscribeToChainSpend (RegisterSpendNtfn)", () => {
  const req = {
    outpoint: { txid: TXID.toUpperCase(), vout: 3 },
    pkScript: SCRIPT.toUpperCase(),
    heightHint: 150,
  };

  it("asks for the outpoint (hash in internal byte order), script and height hint; yields the spend once and ends, after a reorg event", async () => {
    const spend = rawTx(7);
    const sub = new FakeLndStream().push({ event: "reorg", reorg: {}, spend: null }).push({
      event: "spend",
      spend: {
        raw_spending_tx: spend.raw,
        spending_input_index: 2,
        spending_height: 160,
        spending_tx_hash: Buffer.alloc(32),
      },
      reorg: null,
    });
    const { ctx, rpc } = ctxWith({ stream: { "chain.RegisterSpendNtfn": () => sub } });
    const stream = subscribeToChainSpend(ctx, req);
    const events = [];
    for await (const e of stream) events.push(e);
    expect(events).toEqual([
      { spendingTxid: spend.txid, rawTx: spend.raw.toString("hex"), inputIndex: 2, height: 160 },
    ]);
    const sent = rpc.calls[0]!.request as {
      outpoint: { hash: Buffer; index: number };
      script: Buffer;
      height_hint: number;
    };
    expect(sent.outpoint.hash.toString("hex")).toBe(`01${"00".repeat(31)}`);
    expect(sent.outpoint.index).toBe(3);
    expect(sent.script.toString("hex")).toBe(SCRIPT);
    expect(sent.height_hint).toBe(150);
    expect(sub.cancelled).toBe(true);
  });

  it("a service the node lacks is ln.missing_subserver; a dropped connection ln.unavailable; LND ending the stream ln.subscription_closed", async () => {
    const cases: [FakeLndStream, string][] = [
      [
        new FakeLndStream().fail(grpcError(GRPC.UNIMPLEMENTED, "unknown service chainrpc.ChainNotifier")),
        "ln.missing_subserver",
      ],
      [new FakeLndStream().fail(grpcError(GRPC.UNAVAILABLE, "Connection dropped")), "ln.unavailable"],
      [new FakeLndStream(), "ln.subscription_closed"],
    ];
    for (const [sub, code] of cases) {
      if (code === "ln.subscription_closed") setImmediate(() => sub.emit("end"));
      const { ctx } = ctxWith({ stream: { "chain.RegisterSpendNtfn": () => sub } });
      expect((await caught(() => next(subscribeToChainSpend(ctx, req)))).code).toBe(code);
    }
  });

  it("a spend whose raw tx is missing or does not parse is ln.unexpected_response", async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from("0200", "hex")]) {
      const sub = new FakeLndStream().push({
        event: "spend",
        spend: { raw_spending_tx: raw, spending_input_index: 0, spending_height: 160 },
      });
      const { ctx } = ctxWith({ stream: { "chain.RegisterSpendNtfn": () => sub } });
      expect((await caught(() => next(subscribeToChainSpend(ctx, req)))).code).toBe("ln.unexpected_response");
    }
  });

  it("close() cancels LND's stream", async () => {
    const sub = new FakeLndStream();
    const { ctx } = ctxWith({ stream: { "chain.RegisterSpendNtfn": () => sub } });
    const stream = subscribeToChainSpend(ctx, req);
    stream.close();
    expect(sub.cancelled).toBe(true);
    expect(await next(stream)).toEqual({ value: undefined, done: true });
  });

  it("malformed requests throw ln.invalid_argument before any call", () => {
    const { ctx, rpc } = ctxWith({});
    for (const bad of [
      { ...req, outpoint: { txid: "xyz", vout: 0 } },
      { ...req, outpoint: { txid: TXID, vout: -1 } },
      { ...req, outpoint: { txid: TXID, vout: 2 ** 32 } },
      { ...req, pkScript: "zz" },
      { ...req, heightHint: 0 },
    ]) {
      expect(() => subscribeToChainSpend(ctx, bad)).toThrow(
        expect.objectContaining({ code: "ln.invalid_argument" }),
      );
    }
    expect(rpc.calls).toEqual([]);
  });
});

describe("subscribeToChainConfirmation (RegisterConfirmationsNtfn)", () => {
  const req = { txid: TXID, pkScript: SCRIPT, heightHint: 120 };

  it("asks for one confirmation of the txid (internal byte order) and script; yields the block height once and ends", async () => {
    const sub = new FakeLndStream().push({ event: "reorg", reorg: {}, conf: null }).push({
      event: "conf",
      conf: { block_height: 131, raw_tx: Buffer.from("00", "hex"), block_hash: Buffer.alloc(32) },
    });
    const { ctx, rpc } = ctxWith({ stream: { "chain.RegisterConfirmationsNtfn": () => sub } });
    const events = [];
    for await (const e of subscribeToChainConfirmation(ctx, req)) events.push(e);
    expect(events).toEqual([{ height: 131 }]);
    const sent = rpc.calls[0]!.request as {
      txid: Buffer;
      script: Buffer;
      num_confs: number;
      height_hint: number;
    };
    expect(sent.txid.toString("hex")).toBe(`01${"00".repeat(31)}`);
    expect(sent.script.toString("hex")).toBe(SCRIPT);
    expect(sent.num_confs).toBe(1);
    expect(sent.height_hint).toBe(120);
    expect(sub.cancelled).toBe(true);
  });

  it("a confirmation without a height is ln.unexpected_response; a stream error is classified", async () => {
    const noHeight = new FakeLndStream().push({ event: "conf", conf: { block_height: 0 } });
    const { ctx } = ctxWith({ stream: { "chain.RegisterConfirmationsNtfn": () => noHeight } });
    expect((await caught(() => next(subscribeToChainConfirmation(ctx, req)))).code).toBe(
      "ln.unexpected_response",
    );
    const failing = new FakeLndStream().fail(
      grpcError(GRPC.UNIMPLEMENTED, "unknown service chainrpc.ChainNotifier"),
    );
    const { ctx: ctx2 } = ctxWith({ stream: { "chain.RegisterConfirmationsNtfn": () => failing } });
    expect((await caught(() => next(subscribeToChainConfirmation(ctx2, req)))).code).toBe(
      "ln.missing_subserver",
    );
  });
});

describe("publishTransaction (PublishTransaction)", () => {
  const tx = rawTx(3).raw.toString("hex");

  it("sends the tx bytes; an empty publish_error is success", async () => {
    const { ctx, rpc } = ctxWith({ unary: { "wallet.PublishTransaction": () => ({ publish_error: "" }) } });
    await publishTransaction(ctx, tx);
    expect((rpc.calls[0]!.request as { tx_hex: Buffer }).tx_hex.toString("hex")).toBe(tx);
  });

  it("a tx LND already has is not an error, whether LND says so in a gRPC error or in publish_error", async () => {
    const answers = [
      () => {
        throw grpcError(GRPC.UNKNOWN, "txn-already-known");
      },
      () => {
        throw grpcError(GRPC.UNKNOWN, "transaction already exists");
      },
      () => ({ publish_error: "already have transaction 1234" }),
    ];
    for (const answer of answers) {
      const { ctx } = ctxWith({ unary: { "wallet.PublishTransaction": answer } });
      await expect(publishTransaction(ctx, tx)).resolves.toBeUndefined();
    }
  });

  it("every refusal is ln.unexpected with LND's text; non-hex is ln.invalid_argument before any call", async () => {
    const refusals = [
      () => {
        throw grpcError(GRPC.UNKNOWN, "unexpected EOF");
      },
      () => {
        throw grpcError(GRPC.UNKNOWN, "insufficient fee");
      },
      () => ({ publish_error: "bad-txns-inputs-missingorspent" }),
    ];
    for (const answer of refusals) {
      const { ctx } = ctxWith({ unary: { "wallet.PublishTransaction": answer } });
      const err = await caught(() => publishTransaction(ctx, tx));
      expect(err.code).toBe("ln.unexpected");
      expect(err.message).toMatch(/EOF|insufficient fee|missingorspent/);
    }
    const { ctx, rpc } = ctxWith({});
    expect((await caught(() => publishTransaction(ctx, "not hex"))).code).toBe("ln.invalid_argument");
    expect(rpc.calls).toEqual([]);
  });
});

describe("chainFeeRate (EstimateFee)", () => {
  it("asks for 6 blocks and turns sat/kw into whole sat/vB rounded up, at least 1", async () => {
    const cases: [string, bigint][] = [
      ["250", 1n],
      ["253", 2n],
      ["12500", 50n],
      ["12501", 51n],
      ["1", 1n],
    ];
    for (const [satPerKw, expected] of cases) {
      const { ctx, rpc } = ctxWith({ unary: { "wallet.EstimateFee": () => ({ sat_per_kw: satPerKw }) } });
      expect(await chainFeeRate(ctx)).toBe(expected);
      expect(rpc.calls[0]!.request).toEqual({ conf_target: 6 });
    }
  });

  it("no rate is ln.unexpected_response; LND's errors are classified", async () => {
    const { ctx } = ctxWith({ unary: { "wallet.EstimateFee": () => ({ sat_per_kw: "0" }) } });
    expect((await caught(() => chainFeeRate(ctx))).code).toBe("ln.unexpected_response");
    const { ctx: ctx2 } = ctxWith({
      unary: {
        "wallet.EstimateFee": () => {
          throw grpcError(GRPC.UNAVAILABLE, "Connection dropped");
        },
      },
    });
    expect((await caught(() => chainFeeRate(ctx2))).code).toBe("ln.unavailable");
  });
});

describe("createLndChain.blockAt (ChainKit GetBlockHash + GetBlock)", () => {
  it("fetches the hash at the height, then that block, and summarizes it", async () => {
    const t = rawTx(9);
    const header = Buffer.alloc(80);
    header.writeUInt32LE(1_764_000_000, 68);
    const block = Buffer.concat([header, Buffer.from([1]), t.raw]);
    const hash = Buffer.alloc(32, 0x42);
    const { ctx, rpc } = ctxWith({
      unary: {
        "blocks.GetBlockHash": () => ({ block_hash: hash }),
        "blocks.GetBlock": () => ({ raw_block: block }),
      },
    });
    const summary = await createLndChain(ctx).blockAt(321);
    expect(summary.time).toBe(1_764_000_000);
    expect(summary.txids).toEqual([t.txid]);
    expect(rpc.calls.map((c) => c.key)).toEqual(["blocks.GetBlockHash", "blocks.GetBlock"]);
    expect(Number(rpc.calls[0]!.request.block_height)).toBe(321);
    expect(rpc.calls[1]!.request.block_hash).toEqual(hash);
  });

  it("a height LND does not have is ln.unexpected; an answer without bytes ln.unexpected_response", async () => {
    const { ctx } = ctxWith({
      unary: {
        "blocks.GetBlockHash": () => {
          throw grpcError(GRPC.UNKNOWN, "block number out of range");
        },
      },
    });
    expect((await caught(() => createLndChain(ctx).blockAt(99_999))).code).toBe("ln.unexpected");
    const { ctx: ctx2 } = ctxWith({
      unary: {
        "blocks.GetBlockHash": () => ({ block_hash: Buffer.alloc(32) }),
        "blocks.GetBlock": () => ({ raw_block: Buffer.alloc(0) }),
      },
    });
    expect((await caught(() => createLndChain(ctx2).blockAt(1))).code).toBe("ln.unexpected_response");
  });
});

describe("the onchain wallet (NewAddress, GetTransactions, SendCoins)", () => {
  it("newAddress asks for a p2tr (TAPROOT_PUBKEY) address; newWalletScript is its script", async () => {
    const { ctx, rpc } = ctxWith({ unary: { "lightning.NewAddress": () => ({ address: P2TR }) } });
    expect(await createLndOnchainWallet(ctx).newAddress()).toBe(P2TR);
    expect(rpc.calls[0]!.request).toEqual({ type: "TAPROOT_PUBKEY" });
    expect(await createLndChainSpends(ctx).newWalletScript()).toMatch(/^5120[0-9a-f]{64}$/);
    const { ctx: empty } = ctxWith({ unary: { "lightning.NewAddress": () => ({ address: "" }) } });
    expect((await caught(() => createChainAddress(empty))).code).toBe("ln.unexpected_response");
  });

  it("transactions: id, label, confirmations, the exact fee from its decimal string, raw hex", async () => {
    const { ctx, rpc } = ctxWith({
      unary: {
        "lightning.GetTransactions": () => ({
          transactions: [
            {
              tx_hash: TXID,
              label: "liquidity:abc",
              num_confirmations: 3,
              total_fees: "9007199254740993",
              raw_tx_hex: "0200",
            },
            { tx_hash: SCRIPT.slice(4), label: "", num_confirmations: 0, total_fees: "0", raw_tx_hex: "" },
          ],
        }),
      },
    });
    expect(await getChainTransactions(ctx)).toEqual([
      {
        txid: TXID,
        label: "liquidity:abc",
        confirmations: 3,
        feeSats: 9_007_199_254_740_993n,
        rawHex: "0200",
      },
      { txid: SCRIPT.slice(4), label: undefined, confirmations: 0, feeSats: 0n, rawHex: undefined },
    ]);
    expect(rpc.calls[0]!.request).toEqual({});
  });

  it("transactions: a malformed entry or list is ln.unexpected_response", async () => {
    for (const answer of [
      { transactions: [{ tx_hash: "nope", total_fees: "0" }] },
      { transactions: [{ tx_hash: TXID, total_fees: "1.5" }] },
      {},
    ]) {
      const { ctx } = ctxWith({ unary: { "lightning.GetTransactions": () => answer } });
      expect((await caught(() => getChainTransactions(ctx))).code).toBe("ln.unexpected_response");
    }
  });

  it("send: the exact amount as a decimal string, the label, LND's 6-block estimate; returns the txid", async () => {
    const { ctx, rpc } = ctxWith({ unary: { "lightning.SendCoins": () => ({ txid: TXID }) } });
    expect(
      await createLndOnchainWallet(ctx).send({
        address: P2TR,
        amountSats: 9_007_199_254_740_991n,
        label: "l1",
      }),
    ).toBe(TXID);
    expect(rpc.calls[0]!.request).toEqual({
      addr: P2TR,
      amount: "9007199254740991",
      label: "l1",
      target_conf: 6,
    });
    await sendToChainAddress(ctx, { address: P2TR, amountSats: 1000n, label: "l2", feeRate: 3 });
    expect(rpc.calls[1]!.request).toEqual({ addr: P2TR, amount: "1000", label: "l2", sat_per_vbyte: "3" });
  });

  it("send: amounts out of range and bad fee rates are ln.invalid_argument before any call; insufficient funds ln.unexpected; no txid ln.unexpected_response", async () => {
    const { ctx, rpc } = ctxWith({});
    for (const amountSats of [0n, -1n, 9_007_199_254_740_992n])
      expect(
        (await caught(() => sendToChainAddress(ctx, { address: P2TR, amountSats, label: "x" }))).code,
      ).toBe("ln.invalid_argument");
    for (const feeRate of [0, 1.5])
      expect(
        (await caught(() => sendToChainAddress(ctx, { address: P2TR, amountSats: 1n, label: "x", feeRate })))
          .code,
      ).toBe("ln.invalid_argument");
    expect(rpc.calls).toEqual([]);
    const { ctx: poor } = ctxWith({
      unary: {
        "lightning.SendCoins": () => {
          throw grpcError(GRPC.UNKNOWN, "insufficient funds available to construct transaction");
        },
      },
    });
    expect(
      (await caught(() => sendToChainAddress(poor, { address: P2TR, amountSats: 1n, label: "x" }))).code,
    ).toBe("ln.unexpected");
    const { ctx: odd } = ctxWith({ unary: { "lightning.SendCoins": () => ({ txid: "" }) } });
    expect(
      (await caught(() => sendToChainAddress(odd, { address: P2TR, amountSats: 1n, label: "x" }))).code,
    ).toBe("ln.unexpected_response");
  });
});

describe("balances (WalletBalance, ListChannels)", () => {
  it("onchain: confirmed and unconfirmed, exact from their decimal strings", async () => {
    const { ctx } = ctxWith({
      unary: {
        "lightning.WalletBalance": () => ({
          total_balance: "2100000000000001",
          confirmed_balance: "2100000000000000",
          unconfirmed_balance: "1",
        }),
      },
    });
    expect(await getOnchainBalances(ctx)).toEqual({ confirmedSats: 2_100_000_000_000_000n, pendingSats: 1n });
    const { ctx: locked } = ctxWith({
      unary: {
        "lightning.WalletBalance": () => {
          throw grpcError(GRPC.UNKNOWN, "unknown service lnrpc.Lightning");
        },
      },
    });
    expect((await caught(() => getOnchainBalances(locked))).code).toBe("ln.wallet_locked");
  });

  it("channels: sums of active channels' balances both ways, inactive ones counted apart", async () => {
    const { ctx } = ctxWith({
      unary: {
        "lightning.ListChannels": () => ({
          channels: [
            { active: true, local_balance: "9007199254740993", remote_balance: "10" },
            { active: true, local_balance: "7", remote_balance: "20" },
            { active: false, local_balance: "1000", remote_balance: "1000" },
          ],
        }),
      },
    });
    expect(await getChannelLiquidity(ctx)).toEqual({
      localSats: 9_007_199_254_741_000n,
      remoteSats: 30n,
      activeChannels: 2,
      inactiveChannels: 1,
    });
  });
});
