import { Server, ServerCredentials, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { loadArkServices } from "../../src/ark/client/load-protos.js";

export interface FakeArkd {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Starts an in-process grpc-js server on 127.0.0.1 (random port) serving the SAME proto files
 * as the client, with only the given handlers (others answer UNIMPLEMENTED).
 */
export async function startFakeArkd(handlers: {
  ark?: UntypedServiceImplementation;
  indexer?: UntypedServiceImplementation;
}): Promise<FakeArkd> {
  const defs = loadArkServices();
  const server = new Server();
  server.addService(defs.arkService, handlers.ark ?? {});
  server.addService(defs.indexerService, handlers.indexer ?? {});
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) =>
      err === null ? resolve(p) : reject(err),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

export const TXID_A = "a".repeat(64);
export const TXID_B = "b".repeat(64);
export const SCRIPT_A = `5120${"1".repeat(64)}`;
export const PSBT = "cHNidP8BAA==";
