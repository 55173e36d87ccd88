/**
 * `ark-ln-gateway sandbox`: the whole thing on a local regtest network, narrated. Dev tooling:
 * everything it needs beyond the gateway is loaded lazily from the repository's test/ tree.
 */
import { splitListen } from "../args.js";
import type { Command } from "../command.js";
import { renderFields } from "../format.js";
import { SandboxError } from "../sandbox/errors.js";
import { createProgress } from "../sandbox/progress.js";
import { UsageError } from "../usage.js";

const NAME = "sandbox";

function positive(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive integer, got "${String(value)}"`, NAME);
  return n;
}

export const sandboxCommand: Command = {
  name: NAME,
  summary: "regtest network + gateway + one swap each way, narrated (dev)",
  usage: "ark-ln-gateway sandbox [--listen host:port] [--amount sats]",
  help: `Starts the native regtest network (npm run regtest -- up: btcd, arkd, LND alice/carol/bob,
Postgres), runs the gateway on it (alice's LND), funds the gateway's Ark wallet and a client
wallet with arkd admin notes, then runs one submarine swap (the client pays an invoice of bob's
from Ark) and one reverse swap (bob pays the gateway's hold invoice, the client claims on Ark),
printing every step. Then it keeps running, URLs printed, until Ctrl-C.
Needs a git checkout with dev dependencies and the regtest binaries (npm run regtest:build);
REGTEST_DATADIR picks the network's data dir.

Options:
  --listen <host:port>     the gateway's HTTP API (default 127.0.0.1:9001)
  --amount <sats>          amount of each swap (default 10000)`,
  options: { listen: { type: "string" }, amount: { type: "string" } },
  async run({ values }, io) {
    const listen = splitListen(typeof values.listen === "string" ? values.listen : "127.0.0.1:9001", NAME);
    const amount = positive(values.amount, "--amount", 10_000);
    const progress = createProgress((line) => io.out(line));
    const { runSandbox } = await import("../sandbox/run.js");
    let sandbox;
    try {
      sandbox = await runSandbox(
        {
          listen: { host: listen.host ?? "127.0.0.1", port: Number(listen.port) },
          fundSats: amount * 10,
          submarineSats: amount,
          reverseSats: amount,
        },
        progress,
      );
    } catch (err) {
      if (!(err instanceof SandboxError)) throw err;
      io.err(`error: ${err.message}`);
      return 1;
    }
    const { runUntilSignal } = await import("../../gateway/signals.js");
    const stopped = new Promise<void>((resolve) => sandbox.gateway.on("stopped", () => resolve()));
    runUntilSignal({ stop: () => sandbox.stop() }, { say: (line) => io.err(line) });
    const http = sandbox.gateway.http;
    const alice = sandbox.net.lnd.alice;
    io.out(
      `\nsandbox running:\n${renderFields([
        ["API", `${http?.url ?? "-"}/v2  (OpenAPI: ${http?.url ?? "-"}/openapi.json)`],
        ["WebSocket", http?.wsUrl ?? "-"],
        ["arkd", sandbox.net.ark.arkdUrl],
        ["LND (alice)", `${alice.grpcSocket} (REST ${alice.restUrl})`],
        ["LND (bob)", sandbox.net.lnd.bob.grpcSocket],
        ["Postgres", sandbox.net.postgres.url],
      ])}\nPress Ctrl-C to stop the gateway (the regtest network keeps running: npm run regtest -- down).`,
    );
    await stopped;
    return 0;
  },
};
