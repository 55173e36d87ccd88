import { Metadata, status, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { ARK_CLIENT_ERRORS } from "../../../../src/ark/client/errors.js";
import { createGrpcArkClient } from "../../../../src/ark/client/grpc-ark-client.js";
import { translateGrpcError } from "../../../../src/ark/client/grpc-errors.js";
import { int64, uint64 } from "../../../../src/ark/client/longs.js";
import type { ArkServerPort } from "../../../../src/ark/client/port.js";
import { parseArkdErrorDetails } from "../../../../src/ark/client/status-details.js";
import { GatewayError } from "../../../../src/domain/errors.js";
import { TXID_A, PSBT, startFakeArkd, type FakeArkd } from "../../../fakes/fake-arkd-grpc.js";

type Handler = (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => void;

// Minimal protobuf encoder, to build the google.rpc.Status trailer arkd sends.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const lenField = (no: number, bytes: Uint8Array | number[]): number[] => [
  ...varint((no << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const strField = (no: number, s: string): number[] => lenField(no, [...Buffer.from(s)]);
const intField = (no: number, n: number): number[] => [...varint(no << 3), ...varint(n)];

function statusWithArkdDetails(name: string, code: number, meta: Record<string, string>): Buffer {
  const details = [
    ...intField(1, code),
    ...strField(2, name),
    ...strField(3, "msg"),
    ...Object.entries(meta).flatMap(([k, v]) => lenField(4, [...strField(1, k), ...strField(2, v)])),
  ];
  const any = [...strField(1, "type.googleapis.com/ark.v1.ErrorDetails"), ...lenField(2, details)];
  return Buffer.from([...intField(1, 9), ...strField(2, "msg"), ...lenField(3, any)]);
}

let server: FakeArkd | undefined;
let client: ArkServerPort | undefined;

async function setup(ark: Record<string, Handler>, timeoutMs = 5_000): Promise<ArkServerPort> {
  server = await startFakeArkd({ ark });
  client = createGrpcArkClient({ address: server.address, defaultTimeoutMs: timeoutMs });
  return client;
}

afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function rejection(p: Promise<unknown>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe("gRPC status translation", () => {
  const cases: Array<{ grpc: status; code: string; retryable: boolean }> = [
    { grpc: status.UNAVAILABLE, code: "ark.unavailable", retryable: true },
    { grpc: status.INVALID_ARGUMENT, code: "ark.invalid_argument", retryable: false },
    { grpc: status.NOT_FOUND, code: "ark.not_found", retryable: false },
    { grpc: status.INTERNAL, code: "ark.internal", retryable: false },
    { grpc: status.FAILED_PRECONDITION, code: "ark.failed_precondition", retryable: false },
    { grpc: status.RESOURCE_EXHAUSTED, code: "ark.resource_exhausted", retryable: true },
    { grpc: status.PERMISSION_DENIED, code: "ark.permission_denied", retryable: false },
  ];

  for (const c of cases) {
    it(`${status[c.grpc]} → ${c.code}, keeping arkd's message`, async () => {
      const ark = await setup({
        SubmitTx: (_call, cb) => cb({ code: c.grpc, details: "arkd says no: invalid tx" }),
      });
      const err = await rejection(ark.submitTx({ signedArkTx: PSBT, checkpointTxs: [PSBT] }));
      expect(err.code).toBe(c.code);
      expect(err.retryable).toBe(c.retryable);
      expect(err.message).toContain("arkd says no: invalid tx");
      expect(err.message).toContain("SubmitTx");
      expect(err.details).toMatchObject({ rpc: "SubmitTx", grpcCode: c.grpc });
    });
  }

  it("reads arkd's ErrorDetails and maps DIGEST_MISMATCH to ark.digest_mismatch", async () => {
    const ark = await setup({
      FinalizeTx: (_call, cb) => {
        const md = new Metadata();
        md.set("grpc-status-details-bin", statusWithArkdDetails("DIGEST_MISMATCH", 42, { got: "x" }));
        cb({ code: status.FAILED_PRECONDITION, details: "invalid digest header", metadata: md });
      },
    });
    const err = await rejection(ark.finalizeTx({ arkTxid: TXID_A, finalCheckpointTxs: [PSBT] }));
    expect(err.code).toBe("ark.digest_mismatch");
    expect(err.retryable).toBe(true);
    expect(err.details?.arkdError).toEqual({ code: 42, name: "DIGEST_MISMATCH", metadata: { got: "x" } });
  });

  it("VTXO_RECOVERABLE (InvalidArgument, as arkd v0.9.15 sends it) is ark.invalid_argument naming arkd's error", async () => {
    const ark = await setup({
      SubmitTx: (_call, cb) => {
        const md = new Metadata();
        md.set(
          "grpc-status-details-bin",
          statusWithArkdDetails("VTXO_RECOVERABLE", 8, { vtxo_outpoint: `${TXID_A}:0` }),
        );
        cb({ code: status.INVALID_ARGUMENT, details: `${TXID_A}:0 is recoverable`, metadata: md });
      },
    });
    const err = await rejection(ark.submitTx({ signedArkTx: PSBT, checkpointTxs: [PSBT] }));
    expect(err.code).toBe("ark.invalid_argument");
    expect(err.retryable).toBe(false);
    expect(err.details?.arkdError).toEqual({
      code: 8,
      name: "VTXO_RECOVERABLE",
      metadata: { vtxo_outpoint: `${TXID_A}:0` },
    });
  });

  it('GetCommitmentTx: arkd\'s INTERNAL "batch not found" is ark.not_found; any other INTERNAL stays ark.internal', async () => {
    let message = "batch not found";
    server = await startFakeArkd({
      indexer: {
        GetCommitmentTx: (_call: unknown, cb: sendUnaryData<unknown>) =>
          cb({ code: status.INTERNAL, details: message }),
      },
    });
    client = createGrpcArkClient({ address: server.address, defaultTimeoutMs: 5_000 });
    const notFound = await rejection(client.getCommitmentTx(TXID_A));
    expect(notFound.code).toBe("ark.not_found");
    expect(notFound.message).toContain("batch not found");
    expect(notFound.details).toMatchObject({
      rpc: "GetCommitmentTx",
      grpcCode: status.INTERNAL,
      txid: TXID_A,
    });
    message = "database is locked";
    expect((await rejection(client.getCommitmentTx(TXID_A))).code).toBe("ark.internal");
  });

  it("an RPC the server does not implement is ark.unimplemented", async () => {
    const ark = await setup({});
    expect((await rejection(ark.confirmRegistration("intent-1"))).code).toBe("ark.unimplemented");
  });

  it("an unreachable arkd is ark.unavailable (retryable)", async () => {
    const c = createGrpcArkClient({ address: "127.0.0.1:1", defaultTimeoutMs: 2_000 });
    try {
      const err = await rejection(c.getInfo());
      expect(["ark.unavailable", "ark.deadline_exceeded"]).toContain(err.code);
      expect(err.retryable).toBe(true);
    } finally {
      c.close();
    }
  });

  it("non-gRPC errors become ark.unknown; GatewayErrors pass through", () => {
    expect(translateGrpcError(new Error("boom"), "GetInfo").code).toBe("ark.unknown");
    const ge = new GatewayError("ark.not_found", "x");
    expect(translateGrpcError(ge, "GetInfo")).toBe(ge);
  });

  it("a garbled status trailer is ignored rather than thrown", () => {
    expect(parseArkdErrorDetails(Uint8Array.from([0x1a, 0x05, 0x01]))).toBeUndefined();
  });

  it("every catalog code is namespaced ark.*", () => {
    for (const code of Object.keys(ARK_CLIENT_ERRORS)) expect(code).toMatch(/^ark\.[a-z_]+$/);
  });
});

describe("deadlines and cancellation", () => {
  it("a server that never answers → ark.deadline_exceeded (retryable) at the default deadline", async () => {
    const ark = await setup({ GetInfo: () => undefined }, 200);
    const started = Date.now();
    const err = await rejection(ark.getInfo());
    expect(err.code).toBe("ark.deadline_exceeded");
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("a per-call timeout overrides the default", async () => {
    const ark = await setup({ GetInfo: () => undefined }, 60_000);
    const err = await rejection(ark.getInfo({ timeoutMs: 150 }));
    expect(err.code).toBe("ark.deadline_exceeded");
  });

  it("aborting the signal cancels the call → ark.cancelled", async () => {
    const ark = await setup({ GetInfo: () => undefined }, 60_000);
    const ac = new AbortController();
    const p = ark.getInfo({ signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(p)).code).toBe("ark.cancelled");
  });

  it("calls after close() fail with ark.client_misconfigured", async () => {
    const ark = await setup({});
    ark.close();
    expect((await rejection(ark.getInfo())).code).toBe("ark.client_misconfigured");
  });
});

describe("64-bit conversion", () => {
  it("is exact and range-checked", () => {
    expect(int64("-9223372036854775808", "f")).toBe(-(2n ** 63n));
    expect(uint64("18446744073709551615", "f")).toBe(2n ** 64n - 1n);
    expect(() => uint64("-1", "f")).toThrow(GatewayError);
    expect(() => int64("9223372036854775808", "f")).toThrow(GatewayError);
    expect(() => int64("1.5", "f")).toThrow(GatewayError);
    expect(() => int64(2 ** 53 + 2, "f")).toThrow(GatewayError);
  });
});
