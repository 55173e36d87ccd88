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

/** `{ err: { code, message } }` of any thrown value, for log fields. */
export function errFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error)
    return {
      err: { message: err.message, ...("code" in err ? { code: (err as { code: unknown }).code } : {}) },
    };
  return { err: String(err) };
}
