/**
 * The NBXplorer-compatible HTTP + WebSocket server over btcd, for arkd-wallet on regtest.
 * Serves exactly what arkd-wallet v0.9.15 calls (see routes/*) plus `/blocks/tip/height` for
 * arkd's block scheduler. Loopback only.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { Explorer, type ExplorerOptions } from "./explorer.js";
import { matchSegments, Router } from "./http.js";
import { registerDerivationRoutes } from "./routes/derivations.js";
import { registerGroupRoutes } from "./routes/groups.js";
import { registerRpcRoutes } from "./routes/rpc.js";
import { registerStatusRoutes } from "./routes/status.js";
import { registerTransactionRoutes } from "./routes/transactions.js";

export interface NbxplorerServerOptions extends ExplorerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
}

export interface RunningNbxplorer {
  readonly url: string;
  readonly port: number;
  readonly explorer: Explorer;
  close(): Promise<void>;
}

/**
 * Syncs the index from btcd (whole chain), then listens.
 * @throws when btcd is unreachable or the port is taken.
 */
export async function startNbxplorerServer(options: NbxplorerServerOptions): Promise<RunningNbxplorer> {
  const host = options.host ?? "127.0.0.1";
  const explorer = new Explorer(options);
  await explorer.start();

  const router = new Router();
  registerStatusRoutes(router, explorer);
  registerDerivationRoutes(router, explorer);
  registerTransactionRoutes(router, explorer);
  registerGroupRoutes(router, explorer);
  registerRpcRoutes(router, explorer);

  const server: Server = createServer((req, res) => {
    options.log?.("http", { method: req.method, url: req.url });
    void router.handle(req, res);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname.split("/").filter(Boolean);
    if (
      !matchSegments(["v1", "cryptos", "connect"], path) &&
      !matchSegments(["v1", "cryptos", "btc", "connect"], path)
    ) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      explorer.hub.add(ws);
      // NBXplorer clients may send subscription requests; every event goes to every client here.
      ws.on("message", () => undefined);
      options.log?.("websocket connected", { clients: explorer.hub.size });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${String(port)}`,
    port,
    explorer,
    close: async () => {
      explorer.stop();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
