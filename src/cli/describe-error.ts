/**
 * Turns any error into what the operator reads: the message (every config problem on its own
 * line), the stable code when there is one, never a stack trace.
 */
import { isGatewayError } from "../domain/errors.js";

/** @returns one line, or several for a configuration with several problems */
export function describeError(err: unknown): string {
  if (isGatewayError(err)) {
    // These messages are complete sentences already (the code is in them, or would be noise).
    if (
      err.code === "config.invalid" ||
      err.code === "config.file_unreadable" ||
      err.code === "gateway.startup_failed"
    )
      return err.message;
    return `${err.message.split("\n")[0] ?? ""} (${err.code})`;
  }
  if (err instanceof Error) return err.message.split("\n")[0] ?? err.name;
  return String(err);
}
