/** A loggable view of the configuration: secrets replaced, everything else as is (bigints as strings). */
import type { GatewayConfig } from "./schema.js";

const REDACTED = "[redacted]";

export function redactConfig(config: GatewayConfig): Record<string, unknown> {
  const view = {
    ...config,
    lnd: {
      socket: config.lnd.socket,
      cert: config.lnd.cert.kind === "path" ? config.lnd.cert : { kind: "base64", base64: REDACTED },
      macaroon:
        config.lnd.macaroon.kind === "path" ? config.lnd.macaroon : { kind: "base64", base64: REDACTED },
    },
    seed: config.seed.kind === "file" ? config.seed : { kind: "env", value: REDACTED },
    database:
      config.database.kind === "external"
        ? { kind: "external", url: config.database.url.replace(/\/\/([^:@/]*):[^@/]*@/, `//$1:${REDACTED}@`) }
        : config.database,
  };
  return JSON.parse(
    JSON.stringify(view, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Record<string, unknown>;
}
