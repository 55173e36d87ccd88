/**
 * The one shape of a logged error (pure): `{ err: { message, code?, retryable? } }` of any thrown
 * value, spread into a log line's fields. `code` and `retryable` come from a GatewayError (or any
 * error carrying a string `code` / boolean `retryable`); a non-Error is logged as its string.
 */
export function errFields(err: unknown): { err: { message: string; code?: string; retryable?: boolean } } {
  if (!(err instanceof Error)) return { err: { message: String(err) } };
  const { code, retryable } = err as { code?: unknown; retryable?: unknown };
  return {
    err: {
      message: err.message,
      ...(typeof code === "string" ? { code } : {}),
      ...(typeof retryable === "boolean" ? { retryable } : {}),
    },
  };
}
