import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../src/domain/errors.js";
import {
  commonLnErrorCode,
  describeLnError,
  toLightningError,
} from "../../../src/lightning/lnd/lnd-error.js";
import { grpcError } from "../../fakes/lnd-context.js";

describe("describeLnError", () => {
  const table: { description: string; err: unknown; expected: object }[] = [
    {
      description: "a gRPC error",
      err: grpcError(5, "unable to locate invoice"),
      expected: { grpcCode: 5, details: "unable to locate invoice", message: undefined },
    },
    {
      description: "a gRPC error without details",
      err: Object.assign(new Error("14 UNAVAILABLE"), { code: 14 }),
      expected: { grpcCode: 14, details: undefined, message: undefined },
    },
    {
      description: "thrown Error",
      err: new Error("the LND client is closed"),
      expected: { grpcCode: undefined, details: undefined, message: "the LND client is closed" },
    },
    { description: "a string", err: "weird", expected: { message: "weird" } },
  ];
  it.each(table)("$description", ({ err, expected }) => {
    expect(describeLnError(err)).toMatchObject(expected);
  });
});

describe("commonLnErrorCode", () => {
  const table: { description: string; err: unknown; expected: string | undefined }[] = [
    {
      description: "grpc-js connect failure",
      err: grpcError(14, "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1"),
      expected: "ln.unavailable",
    },
    { description: "gRPC UNAVAILABLE", err: grpcError(14, "Connection dropped"), expected: "ln.unavailable" },
    {
      description: "LND starting up",
      err: grpcError(2, "waiting to start, RPC services not available"),
      expected: "ln.unavailable",
    },
    {
      description: "LND 0.20 RPC server starting up (seen right after a restart)",
      err: grpcError(2, "the RPC server is in the process of starting up, but not yet ready to accept calls"),
      expected: "ln.unavailable",
    },
    {
      description: "locked (bare)",
      err: grpcError(12, "unknown service lnrpc.Lightning"),
      expected: "ln.wallet_locked",
    },
    {
      description: "locked (LND 0.20's interceptor)",
      err: grpcError(2, "wallet locked, unlock it to enable full RPC access"),
      expected: "ln.wallet_locked",
    },
    {
      description: "missing subserver",
      err: grpcError(12, "unknown service invoicesrpc.Invoices"),
      expected: "ln.missing_subserver",
    },
    { description: "deadline", err: grpcError(4, "Deadline exceeded"), expected: "ln.timeout" },
    {
      description: "macaroon",
      err: grpcError(2, "verification failed: signature mismatch after caveat verification"),
      expected: "ln.permission_denied",
    },
    { description: "permission", err: grpcError(2, "permission denied"), expected: "ln.permission_denied" },
    { description: "method-specific", err: grpcError(2, "invoice is already paid"), expected: undefined },
  ];
  it.each(table)("$description → $expected", ({ err, expected }) => {
    expect(commonLnErrorCode(describeLnError(err))).toBe(expected);
  });
});

describe("toLightningError", () => {
  it("keeps LND's text and gRPC code in details and the original as cause", () => {
    const raw = grpcError(2, "brand new failure");
    const err = toLightningError(raw, "someOp");
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe("ln.unexpected");
    expect(err.message).toBe("someOp: brand new failure");
    expect(err.details).toEqual({
      operation: "someOp",
      grpcCode: 2,
      lndDetails: "brand new failure",
    });
    expect(err.cause).toBe(raw);
  });

  it("passes GatewayErrors through", () => {
    const original = new GatewayError("ln.invalid_argument", "x");
    expect(toLightningError(original, "op")).toBe(original);
  });

  it("never lets a raw value escape", () => {
    expect(toLightningError([500, "Whatever"], "op")).toBeInstanceOf(GatewayError);
  });
});
