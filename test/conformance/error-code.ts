/** What the conformance suites compare of a call's outcome: "resolved", or its GatewayError code. */
import { isGatewayError } from "../../src/domain/errors.js";

/** "resolved", or the GatewayError code it rejected with (anything else is rethrown). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    return err.code;
  }
}
