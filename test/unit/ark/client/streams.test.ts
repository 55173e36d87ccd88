import { status, type ServerWritableStream } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcArkClient } from "../../../../src/ark/client/grpc-ark-client.js";
import type { ArkServerPort } from "../../../../src/ark/client/port.js";
import type { ArkStream } from "../../../../src/ark/client/types.js";
import { GatewayError } from "../../../../src/domain/errors.js";
import { SCRIPT_A, TXID_A, TXID_B, startFakeArkd, type FakeArkd } from "../../../fakes/fake-arkd-grpc.js";

type StreamHandler = (call: ServerWritableStream<unknown, unknown>) => void;

let server: FakeArkd | undefined;
let client: ArkServerPort | undefined;

async function setup(
  ark: Record<string, StreamHandler>,
  indexer: Record<string, StreamHandler> = {},
): Promise<ArkServerPort> {
  server = await startFakeArkd({ ark, indexer });
  client = createGrpcArkClient({ address: server.address, defaultTimeoutMs: 5_000 });
  return client;
}

afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** Reads a stream to its end; returns what arrived and the error it ended with. */
async function drain<T>(stream: ArkStream<T>): Promise<{ events: T[]; error: unknown }> {
  const events: T[] = [];
  try {
    for await (const e of stream) events.push(e);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

const wireVtxo = {
  outpoint: { txid: TXID_A, vout: 1 },
  created_at: "1",
  expires_at: "2",
  amount: "9007199254740993",
  script: SCRIPT_A,
  commitment_txids: [],
};

describe("GetEventStream", () => {
  it("delivers mapped events, then surfaces the server's end as ark.stream_ended", async () => {
    let topics: unknown;
    const ark = await setup({
      GetEventStream: (call) => {
        topics = (call.request as { topics: string[] }).topics;
        call.write({ stream_started: { id: "stream-1" } });
        call.write({
          batch_started: { id: "b1", intent_id_hashes: ["h"], batch_expiry: "9007199254740993" },
        });
        call.write({}); // an event kind newer than our protos: skipped
        call.write({
          tree_tx: {
            id: "b1",
            topic: ["t"],
            batch_index: 1,
            txid: TXID_A,
            tx: "cHNidP8=",
            children: { 0: TXID_B },
          },
        });
        call.write({ tree_nonces: { id: "b1", topic: [], txid: TXID_A, nonces: { pk: "ab" } } });
        call.write({ heartbeat: {} });
        call.write({ batch_finalized: { id: "b1", commitment_txid: TXID_B } });
        call.end();
      },
    });
    const { events, error } = await drain(ark.streamBatchEvents([`${TXID_A}:0`]));
    expect(topics).toEqual([`${TXID_A}:0`]);
    expect(events.map((e) => e.type)).toEqual([
      "stream_started",
      "batch_started",
      "tree_tx",
      "tree_nonces",
      "heartbeat",
      "batch_finalized",
    ]);
    expect(events[0]).toEqual({ type: "stream_started", streamId: "stream-1" });
    expect(events[1]).toEqual({
      type: "batch_started",
      batchId: "b1",
      intentIdHashes: ["h"],
      batchExpiry: 9007199254740993n,
    });
    const treeTx = events[2];
    expect(treeTx?.type === "tree_tx" && treeTx.children.get(0)).toBe(TXID_B);
    expect(treeTx?.type === "tree_tx" && treeTx.batchIndex).toBe(1);
    const nonces = events[3];
    expect(nonces?.type === "tree_nonces" && nonces.nonces.get("pk")).toBe("ab");
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("ark.stream_ended");
    expect((error as GatewayError).retryable).toBe(true);
  });

  it("surfaces a server error mid-stream as the translated GatewayError", async () => {
    const ark = await setup({
      GetEventStream: (call) => {
        call.write({ stream_started: { id: "s" } });
        setTimeout(() => call.emit("error", { code: status.UNAVAILABLE, details: "arkd shutting down" }), 20);
      },
    });
    const { events, error } = await drain(ark.streamBatchEvents([]));
    expect(events).toEqual([{ type: "stream_started", streamId: "s" }]);
    expect((error as GatewayError).code).toBe("ark.unavailable");
    expect((error as GatewayError).message).toContain("arkd shutting down");
  });

  it("cancels the call when the consumer stops iterating", async () => {
    let cancelled!: () => void;
    const serverSawCancel = new Promise<void>((resolve) => (cancelled = resolve));
    const ark = await setup({
      GetEventStream: (call) => {
        call.on("cancelled", () => cancelled());
        call.write({ stream_started: { id: "s" } });
        call.write({ heartbeat: {} });
      },
    });
    const stream = ark.streamBatchEvents([]);
    for await (const e of stream) {
      expect(e.type).toBe("stream_started");
      break; // return() → close() → cancel
    }
    await serverSawCancel;
    // After close the iteration is simply over, no error.
    expect(await drain(stream)).toEqual({ events: [], error: undefined });
  });

  it("fails with ark.stream_stalled when nothing arrives within idleTimeoutMs", async () => {
    let cancelled!: () => void;
    const serverSawCancel = new Promise<void>((resolve) => (cancelled = resolve));
    const ark = await setup({
      GetEventStream: (call) => {
        call.on("cancelled", () => cancelled());
        call.write({ stream_started: { id: "s" } });
      },
    });
    const { events, error } = await drain(ark.streamBatchEvents([], { idleTimeoutMs: 150 }));
    expect(events).toHaveLength(1);
    expect((error as GatewayError).code).toBe("ark.stream_stalled");
    await serverSawCancel;
  });

  it("an aborted signal closes the stream", async () => {
    const ark = await setup({
      GetEventStream: (call) => void call.write({ stream_started: { id: "s" } }),
    });
    const ac = new AbortController();
    const stream = ark.streamBatchEvents([], { signal: ac.signal });
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: "stream_started", streamId: "s" });
    const pending = it.next();
    ac.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});

describe("GetSubscription", () => {
  it("maps started / tx / heartbeat events and ends with ark.stream_ended", async () => {
    let requested: unknown;
    const ark = await setup(
      {},
      {
        GetSubscription: (call) => {
          requested = call.request;
          call.write({ subscription_started: { subscription_id: "sub-1" } });
          call.write({
            event: {
              txid: TXID_B,
              scripts: [SCRIPT_A],
              new_vtxos: [wireVtxo],
              spent_vtxos: [],
              swept_vtxos: [],
              tx: "cHNidP8=",
              checkpoint_txs: { [`${TXID_A}:0`]: { txid: TXID_B, tx: "Y3A=" } },
            },
          });
          call.write({ heartbeat: {} });
          call.end();
        },
      },
    );
    const { events, error } = await drain(ark.streamSubscription("sub-1"));
    expect(requested).toMatchObject({ subscription_id: "sub-1" });
    expect(events.map((e) => e.type)).toEqual(["started", "tx", "heartbeat"]);
    const tx = events[1];
    if (tx?.type !== "tx") throw new Error("expected a tx event");
    expect(tx.newVtxos[0]?.amountSats).toBe(9007199254740993n);
    expect(tx.newVtxos[0]?.outpoint).toEqual({ txid: TXID_A, vout: 1 });
    expect(tx.checkpointTxs.get(`${TXID_A}:0`)).toEqual({ txid: TXID_B, tx: "Y3A=" });
    expect((error as GatewayError).code).toBe("ark.stream_ended");
  });

  it("a malformed VTXO in an event fails the stream with ark.invalid_response", async () => {
    const ark = await setup(
      {},
      {
        GetSubscription: (call) =>
          void call.write({ event: { txid: TXID_B, new_vtxos: [{ ...wireVtxo, outpoint: null }] } }),
      },
    );
    const { error } = await drain(ark.streamSubscription("sub-1"));
    expect((error as GatewayError).code).toBe("ark.invalid_response");
  });
});

describe("GetTransactionsStream", () => {
  it("maps ark_tx notifications (checkpoints, swept outpoints)", async () => {
    const ark = await setup({
      GetTransactionsStream: (call) => {
        call.write({
          ark_tx: {
            txid: TXID_A,
            tx: "cHNidP8=",
            spent_vtxos: [wireVtxo],
            spendable_vtxos: [],
            checkpoint_txs: { [`${TXID_A}:1`]: { txid: TXID_B, tx: "Y3A=" } },
            swept_vtxos: [{ txid: TXID_B, vout: 2 }],
          },
        });
        call.emit("error", { code: status.INTERNAL, details: "boom" });
      },
    });
    const { events, error } = await drain(ark.streamTransactions());
    expect(events).toHaveLength(1);
    const ev = events[0];
    if (ev?.type !== "ark_tx") throw new Error("expected ark_tx");
    expect(ev.tx.spentVtxos[0]?.amountSats).toBe(9007199254740993n);
    expect(ev.tx.sweptVtxos).toEqual([{ txid: TXID_B, vout: 2 }]);
    expect(ev.tx.checkpointTxs.get(`${TXID_A}:1`)?.txid).toBe(TXID_B);
    expect((error as GatewayError).code).toBe("ark.internal");
  });
});
