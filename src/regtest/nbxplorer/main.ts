/**
 * Process entry of the NBXplorer-compatible service (started detached by the regtest stack):
 * `node --import tsx src/regtest/nbxplorer/main.ts`, configured by environment:
 * NBX_PORT, NBX_BTCD_RPC_HOST, NBX_BTCD_RPC_USER, NBX_BTCD_RPC_PASS, NBX_BTCD_RPC_CERT (optional),
 * NBX_STATE_FILE (optional: tracked schemes and groups survive restarts).
 * Logs one JSON line per event on stdout.
 */
import { startNbxplorerServer } from "./server.js";

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`missing environment variable ${name}`);
  return value;
}

const log = (msg: string, fields?: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);
};

const cert = process.env.NBX_BTCD_RPC_CERT;
const statePath = process.env.NBX_STATE_FILE;
const running = await startNbxplorerServer({
  port: Number(env("NBX_PORT")),
  btcd: {
    rpcHost: env("NBX_BTCD_RPC_HOST"),
    rpcUser: env("NBX_BTCD_RPC_USER"),
    rpcPass: env("NBX_BTCD_RPC_PASS"),
    ...(cert === undefined || cert === "" ? {} : { rpcCertPath: cert }),
  },
  log,
  ...(statePath === undefined || statePath === "" ? {} : { statePath }),
});
log("listening", { url: running.url, height: running.explorer.index.height });

const shutdown = (): void => {
  log("shutting down");
  void running.close().finally(() => process.exit(0));
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
