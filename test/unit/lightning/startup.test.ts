import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertSupportedLnd } from "../../../src/lightning/lnd/assert-supported-lnd.js";
import { connectLnd, credentialContents, credentialFile } from "../../../src/lightning/lnd/connect.js";
import type { LndGetInfo } from "../../../src/lightning/lnd/get-info.js";
import { caught, ctxOf, grpcError, PUBKEY } from "../../fakes/lnd-context.js";
import { fakeLndRpc } from "../../fakes/fake-lnd-rpc.js";
import type { LndRpcOptions } from "../../../src/lightning/lnd/rpc/lnd-rpc.js";
import { FakeLndStream } from "../../fakes/fake-lnd-rpc.js";

const info = (version: string): LndGetInfo => ({
  identity_pubkey: PUBKEY,
  alias: "alice",
  version,
  chains: [{ chain: "bitcoin", network: "regtest" }],
  block_height: 432,
  block_hash: "0".repeat(64),
  synced_to_chain: true,
  synced_to_graph: true,
  num_active_channels: 1,
  num_peers: 1,
});
const failing = (err: unknown) => () => {
  throw err;
};
const notFoundInvoice = grpcError(2, "unable to locate invoice");
const noInvoicesrpc = grpcError(12, "unknown service invoicesrpc.Invoices");
const notFoundPayment = grpcError(5, "payment isn't initiated");
const noRouterrpc = grpcError(12, "unknown service routerrpc.Router");

describe("assertSupportedLnd", () => {
  const table: {
    description: string;
    version: string;
    cancel?: unknown;
    payment?: unknown;
    network?: "regtest" | "mainnet";
    expected: string | undefined;
    subserver?: string;
  }[] = [
    { description: "0.20.1 with both subservers", version: "0.20.1-beta commit=", expected: undefined },
    {
      description: "0.18.0 on the expected network",
      version: "0.18.0-beta",
      network: "regtest",
      expected: undefined,
    },
    { description: "0.17.5", version: "0.17.5-beta", expected: "ln.unsupported_version" },
    { description: "0.21.0", version: "0.21.0-beta", expected: "ln.unsupported_version" },
    { description: "garbage version", version: "lnd", expected: "ln.unsupported_version" },
    {
      description: "wrong network",
      version: "0.20.0-beta",
      network: "mainnet",
      expected: "ln.wrong_network",
    },
    {
      description: "no invoicesrpc",
      version: "0.20.0-beta",
      cancel: noInvoicesrpc,
      expected: "ln.missing_subserver",
      subserver: "invoicesrpc",
    },
    {
      description: "no routerrpc",
      version: "0.20.0-beta",
      payment: noRouterrpc,
      expected: "ln.missing_subserver",
      subserver: "routerrpc",
    },
  ];
  it.each(table)("$description", async ({ version, cancel, payment, network, expected, subserver }) => {
    const rpc = {
      unary: {
        "lightning.GetInfo": () => info(version),
        "invoices.CancelInvoice": failing(cancel ?? notFoundInvoice),
      },
      stream: { "router.TrackPaymentV2": () => new FakeLndStream().fail(payment ?? notFoundPayment) },
    };
    const run = () => assertSupportedLnd(ctxOf(rpc), network === undefined ? {} : { network });
    if (expected === undefined) {
      const res = await run();
      expect(res.info).toMatchObject({
        pubkey: PUBKEY,
        networks: ["regtest"],
        blockHeight: 432,
        syncedToChain: true,
      });
      expect(res.version.minor).toBeGreaterThanOrEqual(18);
      return;
    }
    const err = await caught(run);
    expect(err.code).toBe(expected);
    if (subserver !== undefined) expect(err.details).toMatchObject({ subserver });
  });

  const unreachable: { description: string; lndError: unknown; expected: string }[] = [
    {
      description: "LND down",
      lndError: grpcError(14, "failed to connect to all addresses"),
      expected: "ln.unavailable",
    },
    {
      description: "wallet locked",
      lndError: grpcError(2, "wallet locked, unlock it to enable full RPC access"),
      expected: "ln.wallet_locked",
    },
    {
      description: "bad macaroon",
      lndError: grpcError(2, "verification failed: signature mismatch after caveat verification"),
      expected: "ln.permission_denied",
    },
    {
      description: "malformed answer",
      lndError: undefined,
      expected: "ln.unexpected_response",
    },
  ];
  it.each(unreachable)("propagates $description as $expected", async ({ lndError, expected }) => {
    const getInfo =
      lndError === undefined ? () => ({ ...info("0.20.1-beta"), identity_pubkey: "" }) : failing(lndError);
    const err = await caught(() => assertSupportedLnd(ctxOf({ unary: { "lightning.GetInfo": getInfo } })));
    expect(err.code).toBe(expected);
  });
});

describe("connectLnd", () => {
  const dir = mkdtempSync(join(tmpdir(), "lnd-creds-"));
  const macPath = join(dir, "admin.macaroon");
  const certPath = join(dir, "tls.cert");
  writeFileSync(macPath, Buffer.from([0x02, 0x01, 0x03, 0x6c, 0x6e, 0x64]));
  // a self-signed P-256 certificate for CN=localhost (test/fixtures/lnd), as LND makes its own
  const certPem = readFileSync(new URL("../../fixtures/lnd/test-tls.cert", import.meta.url));
  writeFileSync(certPath, certPem);

  /** A client factory that records what it was given. */
  const spyFactory = () => {
    const seen: LndRpcOptions[] = [];
    return { seen, make: (opts: LndRpcOptions) => (seen.push(opts), fakeLndRpc()) };
  };

  it("reads files as bytes and passes hex or base64 through", () => {
    const f = spyFactory();
    const ctx = connectLnd({ socket: "127.0.0.1:20009", cert: certPath, macaroon: macPath }, f.make);
    expect(ctx.rpc).toBeDefined();
    expect(f.seen).toEqual([
      {
        socket: "127.0.0.1:20009",
        macaroon: Buffer.from([0x02, 0x01, 0x03, 0x6c, 0x6e, 0x64]),
        cert: certPem,
      },
    ]);
    connectLnd({ socket: "127.0.0.1:20009", macaroon: "0201036c6e64" }, f.make);
    connectLnd({ socket: "127.0.0.1:20009", macaroon: "AgEDbG5k" }, f.make);
    expect(f.seen.slice(1).map((o) => o.macaroon.toString("hex"))).toEqual(["0201036c6e64", "0201036c6e64"]);
    expect(credentialContents("0201036c6e64", "macaroon")).toBe("0201036c6e64");
    expect(credentialContents("AgEDbG5k", "macaroon")).toBe("AgEDbG5k");
    expect(credentialContents("-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----", "cert")).toBe(
      Buffer.from("-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----").toString("base64"),
    );
  });

  it("reads a configured credential file, and names a missing one instead of taking it for base64", async () => {
    expect(credentialFile(macPath, "macaroon")).toBe(
      Buffer.from([0x02, 0x01, 0x03, 0x6c, 0x6e, 0x64]).toString("base64"),
    );
    // "/x" is valid base64: credentialContents would pass it through, credentialFile must not.
    expect(credentialContents("/x", "cert")).toBe("/x");
    const err = await caught(() => credentialFile("/x", "cert"));
    expect(err).toMatchObject({ code: "ln.invalid_credentials", details: { field: "cert", path: "/x" } });
    expect(err.message).toBe("cert: no such file: /x");
  });

  it("omits an absent cert", () => {
    const f = spyFactory();
    connectLnd({ socket: "lnd.example:10009", macaroon: "0201" }, f.make);
    expect(f.seen).toEqual([{ socket: "lnd.example:10009", macaroon: Buffer.from([2, 1]) }]);
  });

  it("reconnect() replaces the client and closes the old one, at most every 5 s", () => {
    const made: { closed: boolean }[] = [];
    const ctx = connectLnd({ socket: "127.0.0.1:1", macaroon: "0201" }, () => {
      const rpc = { ...fakeLndRpc(), closed: false };
      rpc.close = () => void (rpc.closed = true);
      made.push(rpc);
      return rpc;
    });
    const first = ctx.rpc;
    ctx.reconnect?.();
    expect(ctx.rpc).not.toBe(first);
    expect(made.map((m) => m.closed)).toEqual([true, false]);
    ctx.reconnect?.();
    expect(made).toHaveLength(2);
  });

  const invalid: { description: string; socket: string; macaroon: string; expected: string }[] = [
    {
      description: "socket without port",
      socket: "127.0.0.1",
      macaroon: "0201",
      expected: "ln.invalid_argument",
    },
    {
      description: "URL as socket",
      socket: "https://127.0.0.1:10009",
      macaroon: "0201",
      expected: "ln.invalid_argument",
    },
    {
      description: "missing macaroon file",
      socket: "127.0.0.1:10009",
      macaroon: "/no/such/admin.macaroon",
      expected: "ln.invalid_credentials",
    },
  ];
  it.each(invalid)("rejects $description", async ({ socket, macaroon, expected }) => {
    const err = await caught(() => connectLnd({ socket, macaroon }, () => fakeLndRpc()));
    expect(err.code).toBe(expected);
  });

  it("a certificate grpc-js refuses is ln.invalid_credentials", async () => {
    const err = await caught(() =>
      connectLnd({
        socket: "127.0.0.1:1",
        macaroon: "0201",
        cert: "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----",
      }),
    );
    expect(err.code).toBe("ln.invalid_credentials");
  });
});
