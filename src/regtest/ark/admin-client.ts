/**
 * arkd's admin REST API (port 7071 on upstream, `PORTS.arkdAdmin` here): wallet init/unlock,
 * status, address, balance, and test notes. Shapes as arkd v0.9.15's own e2e helpers use them
 * (`internal/test/e2e/utils_test.go`); int64 fields arrive as JSON strings (grpc-gateway).
 */

export interface AdminWalletStatus {
  readonly initialized: boolean;
  readonly unlocked: boolean;
  readonly synced: boolean;
}

export interface AdminBalance {
  /** BTC, as decimal strings. */
  readonly mainAccount: { readonly available: string; readonly locked: string };
  readonly connectorsAccount?: { readonly available: string; readonly locked: string };
}

/** An error answer from the admin API. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    body: string,
  ) {
    super(`arkd admin ${path}: HTTP ${String(status)}: ${body.slice(0, 300)}`);
    this.name = "AdminApiError";
  }
}

/** A client for one arkd admin URL (`http://127.0.0.1:<port>`). */
export class ArkdAdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  walletStatus(): Promise<AdminWalletStatus> {
    return this.request<AdminWalletStatus>("GET", "/v1/admin/wallet/status");
  }

  async walletSeed(): Promise<string> {
    return (await this.request<{ seed: string }>("GET", "/v1/admin/wallet/seed")).seed;
  }

  async createWallet(seed: string, password: string): Promise<void> {
    await this.request("POST", "/v1/admin/wallet/create", { seed, password });
  }

  async unlockWallet(password: string): Promise<void> {
    await this.request("POST", "/v1/admin/wallet/unlock", { password });
  }

  async walletAddress(): Promise<string> {
    return (await this.request<{ address: string }>("GET", "/v1/admin/wallet/address")).address;
  }

  walletBalance(): Promise<AdminBalance> {
    return this.request<AdminBalance>("GET", "/v1/admin/wallet/balance");
  }

  /**
   * Mints `quantity` notes of `amountSats` each (test funds, redeemable in a batch).
   * @returns the encoded notes (`arknote...`).
   */
  async createNotes(amountSats: number, quantity = 1): Promise<string[]> {
    if (!Number.isInteger(amountSats) || amountSats <= 0)
      throw new RangeError(`bad note amount ${amountSats}`);
    const res = await this.request<{ notes?: string[] }>("POST", "/v1/admin/note", {
      amount: amountSats,
      quantity,
    });
    if (!res.notes || res.notes.length !== quantity)
      throw new Error(`arkd returned ${res.notes?.length ?? 0} notes`);
    return res.notes;
  }

  private async request<T = unknown>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new AdminApiError(res.status, path, text);
    return (text === "" ? {} : JSON.parse(text)) as T;
  }
}

/** "1.5" (BTC) → 150000000n sats, exact for up to 8 decimals. */
export function btcStringToSats(value: string | undefined): bigint {
  if (value === undefined || value === "") return 0n;
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(value.trim());
  if (!m?.[1]) throw new Error(`not a BTC amount: ${value}`);
  return BigInt(m[1]) * 100_000_000n + BigInt((m[2] ?? "").padEnd(8, "0"));
}
