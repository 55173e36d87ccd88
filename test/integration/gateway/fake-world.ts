/** A gateway on injected fake ports (the engine's unit-test fakes) and the real test Postgres. */
import { createGateway, type Gateway, type GatewayOptions } from "../../../src/gateway/create-gateway.js";
import { createGatewayLogger } from "../../../src/gateway/logger.js";
import { FakeArk } from "../../fakes/fake-ark.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";

/** Settings that pass validation; LND and arkd are never dialled when their ports are injected. */
export function fakeSettings(databaseUrl: string): Record<string, unknown> {
  return {
    network: "regtest",
    logLevel: "silent",
    listen: { host: "127.0.0.1", port: 0 },
    arkd: { url: "http://127.0.0.1:1" },
    lnd: { socket: "127.0.0.1:1", certBase64: "AAAA", macaroonBase64: "AAAA" },
    database: { url: databaseUrl },
  };
}

export interface FakeWorld {
  readonly gateway: Gateway;
  readonly ln: FakeLightning;
  readonly ark: FakeArk;
}

export function fakeGateway(
  databaseUrl: string,
  schema: string,
  extra: Partial<GatewayOptions> = {},
): FakeWorld {
  const chain = new FakeChain();
  const ln = new FakeLightning(chain);
  const ark = new FakeArk(chain);
  const gateway = createGateway({
    config: { settings: fakeSettings(databaseUrl) },
    logger: createGatewayLogger("silent"),
    ports: { lightning: ln, ark },
    database: { schema },
    engine: { reconcileIntervalMs: 0 },
    ...extra,
  });
  return { gateway, ln, ark };
}
