/**
 * One error class for the whole gateway. Every subsystem declares its codes in an `as const`
 * catalog next to its code (e.g. `src/ark/scripts/errors.ts`), namespaced `area.reason`
 * (`vhtlc.invalid_pubkey`, `ark.rpc_unavailable`). Adapters translate every foreign error
 * into a GatewayError; the API maps `httpStatus`/`code` to its JSON answer.
 */
export interface ErrorSpec {
  /** HTTP status the API answers with when this error reaches it. */
  readonly httpStatus: number;
  /** Whether retrying the same operation later may succeed. */
  readonly retryable: boolean;
}

export type ErrorCatalog = Readonly<Record<string, ErrorSpec>>;

export class GatewayError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    opts: { spec?: ErrorSpec; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "GatewayError";
    this.code = code;
    this.httpStatus = opts.spec?.httpStatus ?? 500;
    this.retryable = opts.spec?.retryable ?? false;
    this.details = opts.details === undefined ? undefined : Object.freeze({ ...opts.details });
  }

  toJSON(): { error: string; code: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, details: this.details };
  }
}

/**
 * Builds a typed factory for one catalog: `const fail = errorFactory(CATALOG); throw fail("x", "msg")`.
 * The code argument is checked against the catalog at compile time.
 */
export function errorFactory<C extends ErrorCatalog>(catalog: C) {
  return (
    code: keyof C & string,
    message: string,
    details?: Record<string, unknown>,
    cause?: unknown,
  ): GatewayError => {
    const spec = catalog[code];
    return new GatewayError(code, message, {
      ...(spec === undefined ? {} : { spec }),
      ...(details === undefined ? {} : { details }),
      ...(cause === undefined ? {} : { cause }),
    });
  };
}

/** True when `err` is a GatewayError, optionally with the given code. */
export function isGatewayError(err: unknown, code?: string): err is GatewayError {
  return err instanceof GatewayError && (code === undefined || err.code === code);
}
