/**
 * The connection factory: our authenticated LND gRPC client (rpc/lnd-rpc.ts). Nothing connects
 * until the first call; `assertSupportedLnd` is the first call the gateway makes.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { isHex } from "../../lib/hex.js";
import { GrpcLndRpc, type LndRpc, type LndRpcOptions } from "./rpc/lnd-rpc.js";

/** A credential as `credentialContents` gives it (hex or base64) back to bytes. */
function credentialBytes(contents: string): Buffer {
  return isHex(contents) ? Buffer.from(contents, "hex") : Buffer.from(contents, "base64");
}

export interface LndCredentials {
  /** gRPC `host:port`, e.g. `127.0.0.1:10009`. */
  readonly socket: string;
  /** TLS certificate: a file path, PEM text, or its base64/hex encoding. Omit for a CA-signed cert. */
  readonly cert?: string;
  /** Macaroon: a file path or its base64/hex encoding. */
  readonly macaroon: string;
}

/**
 * After LND restarts, gRPC channels were seen failing every call with "No connection established"
 * for minutes (a reconnect backoff that outlives the restart). A call that finds LND unavailable
 * rebuilds the client, at most this often.
 */
const RECONNECT_INTERVAL_MS = 5_000;

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const SOCKET = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * Turns a credential given as a path or as contents into base64 (or hex, kept as given).
 * @throws GatewayError `ln.invalid_credentials` when it is neither a readable file nor an encoding
 */
export function credentialContents(value: string, field: "cert" | "macaroon"): string {
  const trimmed = value.trim();
  if (trimmed.startsWith("-----BEGIN")) return Buffer.from(trimmed, "utf8").toString("base64");
  if (isHex(trimmed)) return trimmed;
  if (existsSync(trimmed)) {
    try {
      return readFileSync(trimmed).toString("base64");
    } catch (err) {
      throw lnError("ln.invalid_credentials", `${field}: cannot read ${trimmed}`, { field }, err);
    }
  }
  if (BASE64.test(trimmed)) return trimmed;
  throw lnError("ln.invalid_credentials", `${field}: neither a readable file nor base64/hex contents`, {
    field,
  });
}

/**
 * Reads a credential that was configured as a file path (never guessed to be contents: "/x"
 * is valid base64, so a missing file must not fall through to "maybe it is encoded").
 * @returns the file's bytes as base64
 * @throws GatewayError `ln.invalid_credentials` naming the field and the path when it cannot be read
 */
export function credentialFile(path: string, field: "cert" | "macaroon"): string {
  try {
    return readFileSync(path).toString("base64");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read it";
    throw lnError("ln.invalid_credentials", `${field}: ${reason}: ${path}`, { field, path }, err);
  }
}

/**
 * Builds an authenticated LND client.
 * @param creds socket plus cert and macaroon (paths or contents)
 * @param makeRpc the client factory (tests pass a spy)
 * @returns the context every adapter function takes
 * @throws GatewayError `ln.invalid_argument` for a malformed socket, `ln.invalid_credentials`
 */
export function connectLnd(
  creds: LndCredentials,
  makeRpc: (opts: LndRpcOptions) => LndRpc = (opts) => new GrpcLndRpc(opts),
): LndContext {
  if (typeof creds.socket !== "string" || !SOCKET.test(creds.socket)) {
    throw lnError("ln.invalid_argument", "socket: expected host:port", { field: "socket" });
  }
  const macaroon = credentialBytes(credentialContents(creds.macaroon, "macaroon"));
  const cert =
    creds.cert === undefined || creds.cert === ""
      ? undefined
      : credentialBytes(credentialContents(creds.cert, "cert"));
  if (macaroon.length === 0)
    throw lnError("ln.invalid_credentials", "macaroon: empty", { field: "macaroon" });
  if (cert !== undefined) {
    // grpc-js would only fail at the first call, as if LND were down: say what is wrong now
    try {
      new X509Certificate(cert);
    } catch (err) {
      throw lnError(
        "ln.invalid_credentials",
        "cert: not an X.509 certificate (PEM or DER)",
        { field: "cert" },
        err,
      );
    }
  }
  const make = (): LndRpc => {
    try {
      return makeRpc({ socket: creds.socket, macaroon, ...(cert === undefined ? {} : { cert }) });
    } catch (err) {
      // grpc-js refuses a certificate it cannot parse when the channel is built
      throw lnError("ln.invalid_credentials", `connectLnd: ${(err as Error).message}`, {}, err);
    }
  };
  let rpc = make();
  let lastReconnect = 0;
  return {
    get rpc() {
      return rpc;
    },
    reconnect() {
      const now = Date.now();
      if (now - lastReconnect < RECONNECT_INTERVAL_MS) return;
      lastReconnect = now;
      const old = rpc;
      rpc = make();
      old.close();
    },
  };
}
