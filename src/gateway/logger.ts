/**
 * The gateway's pino logger: JSON to stderr (stdout stays for command output), one child per
 * subsystem, secrets redacted wherever they appear under the usual field names.
 */
import { destination as pinoDestination, pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "../config/schema.js";

/** Field paths whose values never reach a log line. */
export const REDACTED_PATHS: readonly string[] = [
  "macaroon",
  "seed",
  "preimage",
  "password",
  "*.macaroon",
  "*.seed",
  "*.preimage",
  "*.password",
  "*.*.macaroon",
  "*.*.preimage",
  "lnd.macaroon.base64",
  "config.lnd.macaroon.base64",
  "config.seed.value",
  "req.headers.authorization",
];

/**
 * @param level pino level ("silent" mutes everything)
 * @param destination default: stderr
 */
export function createGatewayLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      name: "ark-ln-gateway",
      level,
      redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
      base: { pid: process.pid },
    },
    destination ?? pinoDestination({ dest: 2, sync: true }),
  );
}
