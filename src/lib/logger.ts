/**
 * The one logger type of the code base: the slice of pino the modules use (fields first, message
 * second; never secrets). The gateway hands its pino logger to everything;
 * pino's Logger is assignable to it, and no module but src/gateway/logger.ts imports pino.
 * `LogSink` is the part a module writes to; `Logger` adds pino's `child` for modules that bind
 * fields (a subsystem, a swap id). `SILENT_LOGGER` drops everything.
 */
/** Fields first (an empty object when there are none), then the message. */
export type LogFn = (fields: Record<string, unknown>, msg: string) => void;

export interface LogSink {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface Logger extends LogSink {
  /** A logger that adds `bindings` to every line (pino's child). */
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => undefined;

/** A logger that drops everything (the default where none is given). */
export const SILENT_LOGGER: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => SILENT_LOGGER,
};
