/** The slice of a pino logger the wallet uses (fields first, message second; never secrets). */
export interface WalletLogger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const noop = (): void => undefined;

/** A logger that drops everything (the default when none is given). */
export const SILENT_LOGGER: WalletLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** The one shape of a logged error, re-exported for the wallet's modules. */
export { errFields } from "../../lib/error-fields.js";
