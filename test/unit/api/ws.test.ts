/**
 * `/v2/ws` against a real ws client. Message shapes as `@arkade-os/boltz-swap` 0.2.20 reads them
 * (`dist/index.js`: `monitorSwap` and SwapManager `handleWebSocketMessage` act on
 * `event === "update"` with `args[0].id` / `args[0].status` / `args[0].error`), plus Boltz's
 * documented `subscribe`/`unsubscribe` acks and `ping` → `{"event":"pong"}`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { HttpLimits } from "../../../src/api/http/index.js";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import { WsClient, fakeInvoice, startHarness, type Harness } from "./helpers.js";

const KEY = pubkeyHex(9);
let h: Harness | undefined;
const clients: WsClient[] = [];

async function setup(limits: Partial<HttpLimits> = {}): Promise<Harness> {
  h = await startHarness(limits);
  return h;
}
async function connect(): Promise<WsClient> {
  const c = await WsClient.connect((h as Harness).wsUrl);
  clients.push(c);
  return c;
}
async function newSubmarine(hs: Harness): Promise<string> {
  return (await hs.service.createSubmarine({ invoice: fakeInvoice(), refundPublicKey: KEY })).id;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h?.close();
  h = undefined;
});

describe("subscriptions", () => {
  it("subscribe → ack, then the current status, then every change", async () => {
    const hs = await setup();
    const id = await newSubmarine(hs);
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: [id] });
    const [ack, current] = await c.waitForCount(2);
    expect(ack).toEqual({ event: "subscribe", channel: "swap.update", args: [id] });
    expect(current).toEqual({
      event: "update",
      channel: "swap.update",
      args: [{ id, status: "invoice.set" }],
      timestamp: expect.stringMatching(/^[0-9]+$/),
    });
    hs.service.transition(id, "funding_detected");
    hs.service.transition(id, "claimed", { claimTxid: "cc".repeat(32) });
    const [, , first, second] = await c.waitForCount(4);
    expect(first).toMatchObject({
      event: "update",
      channel: "swap.update",
      args: [{ id, status: "transaction.mempool" }],
    });
    expect(second).toMatchObject({
      args: [{ id, status: "transaction.claimed", transaction: { id: "cc".repeat(32) } }],
    });
  });

  it("answers every id of one subscribe in one update, an unknown id with an error (and does not follow it)", async () => {
    const hs = await setup();
    const [a, b] = [await newSubmarine(hs), await newSubmarine(hs)];
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: [a, "unknownSwap", b] });
    const [, current] = await c.waitForCount(2);
    expect(current?.["args"]).toEqual([
      { id: a, status: "invoice.set" },
      { id: "unknownSwap", error: expect.stringContaining("unknownSwap") },
      { id: b, status: "invoice.set" },
    ]);
    c.send({ op: "unsubscribe", channel: "swap.update", args: [] });
    const [, , ack] = await c.waitForCount(3);
    expect(ack).toEqual({ event: "unsubscribe", channel: "swap.update", args: [a, b] });
  });

  it("unsubscribe stops the updates of that id only", async () => {
    const hs = await setup();
    const [a, b] = [await newSubmarine(hs), await newSubmarine(hs)];
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: [a, b] });
    await c.waitForCount(2);
    c.send({ op: "unsubscribe", channel: "swap.update", args: [a] });
    const [, , ack] = await c.waitForCount(3);
    expect(ack).toEqual({ event: "unsubscribe", channel: "swap.update", args: [b] });
    hs.service.transition(a, "funding_detected");
    hs.service.transition(b, "funding_detected");
    c.send({ op: "ping" });
    const rest = (await c.waitForCount(5)).slice(3);
    expect(rest).toEqual([
      expect.objectContaining({ event: "update", args: [{ id: b, status: "transaction.mempool" }] }),
      { event: "pong" },
    ]);
  });

  it("a reverse swap's internal steps that share a public status are pushed once (the client claims on each transaction.mempool)", async () => {
    const hs = await setup();
    const { id } = await hs.service.createReverse({
      invoiceAmountSats: 40_000n,
      claimPublicKey: KEY,
      preimageHash: "ab".repeat(32),
    });
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: [id] });
    await c.waitForCount(2); // ack + swap.created
    hs.service.transition<"reverse">(id, "invoice_held"); // still swap.created
    hs.service.transition<"reverse">(id, "funding"); // still swap.created
    hs.service.transition<"reverse">(id, "funded", { fundingTxid: "dd".repeat(32) });
    hs.service.transition<"reverse">(id, "preimage_learned"); // still transaction.mempool
    hs.service.transition<"reverse">(id, "settled");
    c.send({ op: "ping" });
    const rest = (await c.waitForCount(5)).slice(2);
    expect(rest).toEqual([
      expect.objectContaining({
        args: [{ id, status: "transaction.mempool", transaction: { id: "dd".repeat(32) } }],
      }),
      expect.objectContaining({ args: [expect.objectContaining({ id, status: "invoice.settled" })] }),
      { event: "pong" },
    ]);
    // Subscribing again is a request: it is answered with the current status, repeated or not.
    c.send({ op: "subscribe", channel: "swap.update", args: [id] });
    const [, again] = (await c.waitForCount(7)).slice(5);
    expect(again).toMatchObject({ args: [{ id, status: "invoice.settled" }] });
  });

  it("an update arriving while the current status is read comes after it, never before", async () => {
    const hs = await setup();
    const id = await newSubmarine(hs);
    hs.service.statusDelayMs = 150;
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: [id] });
    await c.waitForCount(1); // ack; the status read is still sleeping
    hs.service.transition(id, "funding_detected");
    const [, current, queued] = await c.waitForCount(3);
    expect(current).toMatchObject({ args: [{ id, status: "invoice.set" }] });
    expect(queued).toMatchObject({ args: [{ id, status: "transaction.mempool" }] });
  });

  it("two connections on one swap both get its updates; a closed one is forgotten", async () => {
    const hs = await setup();
    const id = await newSubmarine(hs);
    const [c1, c2] = [await connect(), await connect()];
    for (const c of [c1, c2]) {
      c.send({ op: "subscribe", channel: "swap.update", args: [id] });
      await c.waitForCount(2);
    }
    c1.close();
    await c1.waitForClose();
    hs.service.transition(id, "funding_detected");
    expect((await c2.waitForCount(3))[2]).toMatchObject({ args: [{ id, status: "transaction.mempool" }] });
  });
});

describe("protocol errors → error events, connection kept", () => {
  const CASES: { name: string; msg: unknown; code: string }[] = [
    { name: "not JSON", msg: "{nope", code: "ws.invalid_message" },
    { name: "JSON array", msg: "[1]", code: "ws.invalid_message" },
    { name: "JSON null", msg: "null", code: "ws.invalid_message" },
    { name: "unknown op", msg: { op: "dance" }, code: "ws.unknown_operation" },
    { name: "missing op", msg: { channel: "swap.update", args: [] }, code: "ws.unknown_operation" },
    {
      name: "unknown channel",
      msg: { op: "subscribe", channel: "invoice.request", args: ["a"] },
      code: "ws.unknown_channel",
    },
    {
      name: "args not an array",
      msg: { op: "subscribe", channel: "swap.update", args: "abc" },
      code: "ws.invalid_message",
    },
    {
      name: "args with numbers",
      msg: { op: "subscribe", channel: "swap.update", args: [1] },
      code: "ws.invalid_message",
    },
    {
      name: "malformed id",
      msg: { op: "subscribe", channel: "swap.update", args: ["a b"] },
      code: "request.invalid_id",
    },
  ];

  it.each(CASES)("$name → {event: error, code: $code}", async ({ msg, code }) => {
    await setup();
    const c = await connect();
    c.send(msg);
    const [err] = await c.waitForCount(1);
    expect(err).toEqual({ event: "error", error: expect.any(String), code });
    c.send({ op: "ping" });
    expect((await c.waitForCount(2))[1]).toEqual({ event: "pong" });
  });

  it("ping → pong", async () => {
    await setup();
    const c = await connect();
    c.send({ op: "ping" });
    expect(await c.waitForCount(1)).toEqual([{ event: "pong" }]);
  });
});

describe("limits", () => {
  it("refuses a subscribe that would exceed the per-connection id limit", async () => {
    const hs = await setup({ maxSubscriptions: 3 });
    const ids = [
      await newSubmarine(hs),
      await newSubmarine(hs),
      await newSubmarine(hs),
      await newSubmarine(hs),
    ];
    const c = await connect();
    c.send({ op: "subscribe", channel: "swap.update", args: ids });
    expect((await c.waitForCount(1))[0]).toMatchObject({ event: "error", code: "ws.too_many_subscriptions" });
    c.send({ op: "subscribe", channel: "swap.update", args: ids.slice(0, 2) });
    await c.waitForCount(3);
    c.send({ op: "subscribe", channel: "swap.update", args: ids.slice(1, 4) });
    expect((await c.waitForCount(4))[3]).toMatchObject({ event: "error", code: "ws.too_many_subscriptions" });
    // re-subscribing to followed ids costs nothing
    c.send({ op: "subscribe", channel: "swap.update", args: ids.slice(0, 2) });
    expect((await c.waitForCount(6))[4]).toMatchObject({ event: "subscribe" });
  });

  it("rate-limits messages with a token bucket, then closes a flooding connection with 1008", async () => {
    await setup({ messagesPerSecond: 1, messageBurst: 3 });
    const c = await connect();
    for (let i = 0; i < 5; i++) c.send({ op: "ping" });
    const msgs = await c.waitForCount(4);
    expect(msgs.slice(0, 3)).toEqual([{ event: "pong" }, { event: "pong" }, { event: "pong" }]);
    expect(msgs[3]).toMatchObject({ event: "error", code: "ws.rate_limited" });
    for (let i = 0; i < 5; i++) c.send({ op: "ping" });
    expect(await c.waitForClose()).toBe(1008);
  });

  it("closes with 1009 on a message over the size limit", async () => {
    await setup({ maxMessageBytes: 1024 });
    const c = await connect();
    c.send({ op: "ping", pad: "x".repeat(2000) });
    expect(await c.waitForClose()).toBe(1009);
  });

  it("refuses connections over the server limit with 503", async () => {
    const hs = await setup({ maxConnections: 1 });
    await connect();
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(hs.wsUrl);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => reject(new Error("opened")));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(503);
  });

  it("answers 404 to an upgrade on another path", async () => {
    const hs = await setup();
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${hs.wsUrl.replace("/v2/ws", "/v2/other")}`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => reject(new Error("opened")));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(404);
  });

  it("terminates a connection that stops answering pings", async () => {
    const hs = await setup({ heartbeatMs: 100 });
    const dead = new WebSocket(hs.wsUrl, { autoPong: false });
    const code = await new Promise<number>((resolve) => dead.on("close", (c) => resolve(c)));
    expect(code).toBe(1006);
  });
});

describe("shutdown", () => {
  it("closes WebSockets with 1001 and stops listening to the service", async () => {
    const hs = await setup();
    const c = await connect();
    expect(hs.service.listenerCount).toBe(1);
    await hs.close();
    expect(await c.waitForClose()).toBe(1001);
    expect(hs.service.listenerCount).toBe(0);
    h = undefined;
  });
});
