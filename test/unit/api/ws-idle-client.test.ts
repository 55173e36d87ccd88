/**
 * `/v2/ws` as `@arkade-os/boltz-swap` 0.3.x uses it: through the runtime's own `WebSocket`
 * (`globalThis.WebSocket`, undici's on Node), subscribing and then never sending anything, not
 * even a `ping` op, and acting only on `event: "update"` frames. The server's heartbeat is a
 * protocol-level ping the runtime answers by itself, so such a client must stay connected through
 * any number of heartbeats and keep getting updates. Node 20 exposes that WebSocket behind a flag,
 * so the client runs in a child process.
 */
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import { fakeInvoice, startHarness, type Harness } from "./helpers.js";

/**
 * The client side: subscribe once, stay silent for `lifetimeMs` after the connection opened, then
 * report every frame and the readyState.
 */
const CLIENT = `
const [url, id, lifetimeMs] = process.argv.slice(-3);
const frames = [];
const ws = new WebSocket(url);
ws.onmessage = (m) => {
  frames.push(JSON.parse(m.data));
  process.stdout.write("frame\\n");
};
ws.onopen = () => {
  ws.send(JSON.stringify({ op: "subscribe", channel: "swap.update", args: [id] }));
  setTimeout(() => {
    process.stdout.write(JSON.stringify({ readyState: ws.readyState, frames }) + "\\n");
    ws.close();
    process.exit(0);
  }, Number(lifetimeMs));
};
`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Runs the client; calls `onFrame(n)` after its n-th frame; resolves with its report. */
function runClient(
  url: string,
  id: string,
  lifetimeMs: number,
  onFrame: (n: number) => void,
): Promise<{ readyState: number; frames: Record<string, unknown>[] }> {
  const flags =
    typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function"
      ? []
      : ["--experimental-websocket"];
  const child = spawn(
    process.execPath,
    [...flags, "--no-warnings", "-e", CLIENT, url, id, String(lifetimeMs)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  let frames = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const seen = out.split("\n").filter((l) => l === "frame").length;
    while (frames < seen) onFrame(++frames);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const report = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || report === undefined) reject(new Error(`client exited ${code}: ${out}`));
      else resolve(JSON.parse(report) as { readyState: number; frames: Record<string, unknown>[] });
    });
  });
}

describe("an idle client that never pings", () => {
  it("stays connected through many heartbeats and gets every change as an update frame", async () => {
    // heartbeats far apart enough that a loaded machine answers each in time (50 ms lost some)
    h = await startHarness({ heartbeatMs: 250 });
    const hs = h;
    const { id } = await hs.service.createSubmarine({
      invoice: fakeInvoice(),
      refundPublicKey: pubkeyHex(9),
    });
    let pushed = false;
    // ~16 heartbeats; the change comes well after the first few
    const report = await runClient(hs.wsUrl, id, 4000, (n) => {
      if (n === 2 && !pushed) {
        pushed = true;
        setTimeout(() => hs.service.transition(id, "funding_detected"), 1500);
      }
    });
    expect(report.readyState).toBe(1); // OPEN
    const updates = report.frames.filter((f) => f["event"] === "update");
    expect(updates.map((u) => (u["args"] as { id: string; status: string }[])[0])).toEqual([
      { id, status: "invoice.set" },
      { id, status: "transaction.mempool" },
    ]);
    // what the client acts on is all in update frames; the rest is only the subscribe ack
    expect(report.frames.filter((f) => f["event"] !== "update").map((f) => f["event"])).toEqual([
      "subscribe",
    ]);
  }, 30_000);
});
