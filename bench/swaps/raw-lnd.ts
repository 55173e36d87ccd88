/**
 * The raw peer calls the swap flows need, made straight from this Node process with ln-service
 * (the gateway's own LND library), so the gateway's figures can be put next to LND's own.
 */
import { randomBytes, createHash } from "node:crypto";
import { createRequire } from "node:module";
import { connectLnd, type Lnd } from "../../src/regtest/ln-client.js";
import type { NetworkFile } from "../../src/regtest/network-file.js";
import type { LndNodeName } from "../../src/regtest/settings.js";

type Args = Record<string, unknown> & { lnd: Lnd };
interface LnRaw {
  createHodlInvoice(a: Args): Promise<{ id: string; request: string }>;
  createInvoice(a: Args): Promise<{ id: string; request: string; secret: string }>;
  decodePaymentRequest(
    a: Args,
  ): Promise<{ id: string; destination: string; tokens: number; cltv_delta: number }>;
  probeForRoute(a: Args): Promise<{ route?: { fee: number } }>;
  pay(a: Args): Promise<{ id: string; fee_mtokens: string }>;
  cancelHodlInvoice(a: Args): Promise<void>;
}

const ln = createRequire(import.meta.url)("ln-service") as LnRaw;

export class RawLnd {
  private readonly nodes = new Map<LndNodeName, Lnd>();
  constructor(private readonly net: NetworkFile) {}

  node(name: LndNodeName): Lnd {
    let lnd = this.nodes.get(name);
    if (lnd === undefined) {
      lnd = connectLnd(this.net.lnd[name]);
      this.nodes.set(name, lnd);
    }
    return lnd;
  }

  /** A hold invoice on alice, as the reverse flow creates one (fresh random hash). */
  async createHoldInvoice(sats: number): Promise<string> {
    const id = createHash("sha256").update(randomBytes(32)).digest("hex");
    const r = await ln.createHodlInvoice({
      lnd: this.node("alice"),
      id,
      tokens: sats,
      cltv_delta: 40,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      description: "bench raw",
    });
    return r.request;
  }

  /** A plain invoice on `node` (bob: the merchant of submarine swaps; alice: the raw pay step). */
  async createInvoice(node: LndNodeName, sats: number, description = "bench"): Promise<string> {
    return (await ln.createInvoice({ lnd: this.node(node), tokens: sats, description })).request;
  }

  /** What the submarine flow asks LND before creating: decode, then probe a route. */
  async decodeAndProbe(request: string): Promise<void> {
    const d = await ln.decodePaymentRequest({ lnd: this.node("alice"), request });
    const probe = await ln.probeForRoute({
      lnd: this.node("alice"),
      destination: d.destination,
      tokens: d.tokens,
      cltv_delta: d.cltv_delta,
      max_fee: 100,
      probe_timeout_ms: 60_000,
    });
    if (probe.route === undefined) throw new Error("raw probe found no route");
  }

  /** Pays `request` from `node` and resolves once the payment settled. */
  async pay(node: LndNodeName, request: string): Promise<{ feeMsat: bigint }> {
    const r = await ln.pay({ lnd: this.node(node), request, max_fee: 1_000, pathfinding_timeout: 60_000 });
    return { feeMsat: BigInt(r.fee_mtokens) };
  }
}
