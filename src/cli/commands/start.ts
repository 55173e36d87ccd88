/**
 * `ark-ln-gateway start`: runs the gateway until SIGINT/SIGTERM (a second signal forces the
 * exit). Startup refuses with one line on a bad setting or an unreachable/mismatched peer.
 */
import { createGateway, type Gateway } from "../../gateway/create-gateway.js";
import { redactUrl } from "../../gateway/connect.js";
import { CRASH_AFTER_ENV } from "../../gateway/crash-point.js";
import { runUntilSignal } from "../../gateway/signals.js";
import type { GatewayConfig } from "../../config/schema.js";
import { settingOptions } from "../args.js";
import { SETTINGS_HELP, type Command } from "../command.js";
import { loadCliConfig } from "../config-source.js";
import { renderFields } from "../format.js";

const NAME = "start";

/** The lines `start` (and `sandbox`) print once the gateway serves. */
export function describeRunning(gateway: Gateway, config: GatewayConfig): string {
  const http = gateway.http;
  const database =
    config.database.kind === "external"
      ? redactUrl(config.database.url)
      : `embedded Postgres in ${config.database.dataDir}`;
  return [
    `ark-ln-gateway ${gateway.version} is running on ${config.network}`,
    renderFields([
      ["API", http === undefined ? "-" : `${http.url}/v2  (OpenAPI: ${http.url}/openapi.json)`],
      ["WebSocket", http?.wsUrl ?? "-"],
      ["arkd", config.arkd.url],
      ["LND", config.lnd.socket],
      ["database", database],
    ]),
  ].join("\n");
}

export const startCommand: Command = {
  name: NAME,
  summary: "run the gateway (HTTP API, swap engine) until Ctrl-C",
  usage: "ark-ln-gateway start [--config <file>] [settings]",
  help: `Runs the gateway: opens (and migrates) the database, checks LND (version, subservers,
network) and arkd (network), opens the Ark wallet, resumes open swaps and serves the Boltz v2
API. Logs are JSON on stderr. SIGINT/SIGTERM stop it gracefully; a second signal forces the exit.

${SETTINGS_HELP}`,
  options: settingOptions(),
  async run({ values }, io) {
    const config = loadCliConfig(values, io, NAME);
    const crashAfter = io.env[CRASH_AFTER_ENV];
    const gateway = createGateway({ config, ...(crashAfter ? { crashAfter } : {}) });
    const stopped = new Promise<void>((resolve) => gateway.on("stopped", () => resolve()));
    const release = runUntilSignal(gateway, { say: (line) => io.err(line) });
    try {
      await gateway.start();
    } catch (err) {
      release();
      throw err;
    }
    io.out(describeRunning(gateway, config));
    io.out("Press Ctrl-C to stop.");
    await stopped;
    return 0;
  },
};
