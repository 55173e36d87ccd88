/**
 * The sandbox's wallet side talks to the gateway like any Boltz v2 client: over HTTP, with the
 * wire shapes of src/api/http/wire.ts (only the fields it reads).
 */
import { SandboxError } from "./errors.js";

export interface WireTimeouts {
  readonly refund: number;
  readonly unilateralClaim: number;
  readonly unilateralRefund: number;
  readonly unilateralRefundWithoutReceiver: number;
}

export interface CreatedSubmarineWire {
  readonly id: string;
  readonly address: string;
  readonly expectedAmount: number;
  readonly claimPublicKey: string;
  readonly timeoutBlockHeights: WireTimeouts;
}

export interface CreatedReverseWire {
  readonly id: string;
  readonly invoice: string;
  readonly lockupAddress: string;
  readonly refundPublicKey: string;
  readonly onchainAmount: number;
  readonly timeoutBlockHeights: WireTimeouts;
}

export interface SwapStatusWire {
  readonly status: string;
  readonly failureReason?: string;
}

/** A small typed client of the gateway's API. */
export class GatewayApi {
  constructor(private readonly baseUrl: string) {}

  /** @throws SandboxError with the API's `{error, code}` on a non-2xx answer */
  async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    if (!res.ok)
      throw new SandboxError(
        `${method} ${path} answered ${res.status}: ${json.error ?? "?"} (${json.code ?? "?"})`,
      );
    return json as T;
  }

  createSubmarine(invoice: string, refundPublicKey: string): Promise<CreatedSubmarineWire> {
    return this.call("POST", "/v2/swap/submarine", { from: "ARK", to: "BTC", invoice, refundPublicKey });
  }

  createReverse(
    invoiceAmount: number,
    preimageHash: string,
    claimPublicKey: string,
  ): Promise<CreatedReverseWire> {
    return this.call("POST", "/v2/swap/reverse", {
      from: "BTC",
      to: "ARK",
      invoiceAmount,
      preimageHash,
      claimPublicKey,
    });
  }

  status(id: string): Promise<SwapStatusWire> {
    return this.call("GET", `/v2/swap/${encodeURIComponent(id)}`);
  }

  /**
   * Polls the status until it is one of `wanted`, reporting every new status.
   * @throws SandboxError on a status in `failing` or after `timeoutMs`
   */
  async waitForStatus(
    id: string,
    wanted: readonly string[],
    onStatus: (status: string) => void,
    opts: { readonly failing?: readonly string[]; readonly timeoutMs?: number } = {},
  ): Promise<string> {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    let last = "";
    while (Date.now() < deadline) {
      const { status, failureReason } = await this.status(id);
      if (status !== last) onStatus(status);
      last = status;
      if (wanted.includes(status)) return status;
      if (opts.failing?.includes(status))
        throw new SandboxError(`swap ${id} ended in ${status}${failureReason ? `: ${failureReason}` : ""}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new SandboxError(`swap ${id} did not reach ${wanted.join(" or ")} in time (last status: ${last})`);
  }
}
