/**
 * The startup check: refuse an LND of an unsupported version, on the wrong network, or built
 * without the invoicesrpc (hold invoices) or routerrpc (payments) subservers.
 *
 * Build tags from GetVersion are empty when LND is built with plain `go build -tags ...` (they
 * are set through ldflags), so we ask each subserver directly with a harmless call on a random
 * payment hash: any answer but "unknown service" proves it is there.
 */
import { randomBytes } from "node:crypto";
import { isGatewayError } from "../../domain/errors.js";
import { lnError } from "../errors.js";
import type { LightningNetwork } from "../../domain/lightning-network.js";
import type { NodeInfo } from "../../swaps/ports/lightning.js";
import { assertSupportedLndVersion, type LndVersion } from "../version.js";
import { cancelHoldInvoice } from "./cancel-hold-invoice.js";
import { getInfo } from "./get-info.js";
import { getPayment } from "./get-payment.js";
import type { LndContext } from "./context.js";

export interface SupportedLnd {
  readonly info: NodeInfo;
  readonly version: LndVersion;
}

export interface SupportCheckOptions {
  /** Refuse a node on another network. */
  readonly network?: LightningNetwork;
}

async function assertSubserver(
  name: "invoicesrpc" | "routerrpc",
  probe: () => Promise<unknown>,
): Promise<void> {
  try {
    await probe();
  } catch (err) {
    if (isGatewayError(err, "ln.missing_subserver")) {
      throw lnError(
        "ln.missing_subserver",
        `LND was built without ${name} (build it with -tags ${name})`,
        {
          subserver: name,
        },
        err,
      );
    }
    // "unable to locate invoice" and the like: the service answered.
    if (isGatewayError(err) && (err.code === "ln.invoice_not_found" || err.code === "ln.payment_not_found"))
      return;
    throw err;
  }
}

/**
 * @param opts.network when given, the node must run on it
 * @returns the node's info and parsed version
 * @throws GatewayError `ln.unsupported_version`, `ln.wrong_network`, `ln.missing_subserver`
 *   (details.subserver), and whatever reaching LND raises: `ln.unavailable`, `ln.wallet_locked`,
 *   `ln.permission_denied`
 */
export async function assertSupportedLnd(
  ctx: LndContext,
  opts: SupportCheckOptions = {},
): Promise<SupportedLnd> {
  const info = await getInfo(ctx);
  const version = assertSupportedLndVersion(info.version);
  if (opts.network !== undefined && !info.networks.includes(opts.network)) {
    throw lnError(
      "ln.wrong_network",
      `LND runs on ${info.networks.join(",") || "an unknown chain"}, expected ${opts.network}`,
      {
        expected: opts.network,
        actual: info.networks,
      },
    );
  }
  const randomHash = () => randomBytes(32).toString("hex");
  // CancelInvoice on an unknown hash changes nothing and answers "unable to locate invoice".
  await assertSubserver("invoicesrpc", () => cancelHoldInvoice(ctx, randomHash()));
  // TrackPaymentV2 on an unknown hash answers "payment isn't initiated" (status none).
  await assertSubserver("routerrpc", () => getPayment(ctx, randomHash()));
  return { info, version };
}
