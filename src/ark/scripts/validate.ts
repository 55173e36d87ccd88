/**
 * Checks a VHTLC against the Ark server's rules (arkd GetInfo), before funding it or accepting
 * it as funded: arkd accepts a send to any P2TR, but will later refuse to co-sign a spend of a
 * VHTLC that breaks these rules, which would leave the funds to the unilateral paths.
 */
import { hex } from "@scure/base";
import type { ArkServerInfo } from "../server-info.js";
import { equalBytes, isValidXOnly } from "./bytes.js";
import { scriptError, throwIssues, type ScriptIssue } from "./errors.js";
import {
  decodeAbsoluteTimelock,
  SECONDS_GRANULARITY,
  type RelativeTimelock,
  type TimelockType,
} from "./timelocks.js";
import { VHTLC_DELAY_FIELDS, vhtlcParamIssues, type VhtlcParams } from "./vhtlc.js";
import { xOnlyHexOf } from "../../lib/hex.js";

export interface VhtlcServerCheck {
  /** True when `issues` is empty. */
  readonly valid: boolean;
  /** Every problem found, parameter problems first; each has its own stable code. */
  readonly issues: readonly ScriptIssue[];
}

/**
 * Validates VHTLC parameters and checks them against the server:
 * - `vhtlc.server_key_mismatch`: the VHTLC's server key is not `info.signerPubkey` (x-only);
 * - `vhtlc.delay_type_mismatch`: a CSV delay is not of the server's delay type (blocks when the
 *   server's unilateral exit delay is < 512, else seconds);
 * - `vhtlc.exit_delay_too_short`: a CSV delay is below the server's unilateral exit delay (arkd
 *   requires the smallest exit delay to reach it; each short delay is reported);
 * - `vhtlc.refund_locktime_type_mismatch`: the refund CLTV is a block height on a seconds-typed
 *   server (arkd refuses it) or a unix time on a block-typed server;
 * plus every parameter problem (`vhtlc.*`, `timelock.*`, e.g. seconds not a multiple of 512).
 * @param params VHTLC parameters as given to buildVhtlc
 * @param info the server's GetInfo facts
 * @returns the list of problems (empty = acceptable)
 * @throws GatewayError `vhtlc.invalid_server_info` when `info` itself is unusable
 */
export function validateVhtlcForServer(params: VhtlcParams, info: ArkServerInfo): VhtlcServerCheck {
  const { signerKey, minExitDelay } = readServerInfo(info);
  const issues = vhtlcParamIssues(params);
  const bad = new Set(issues.map((i) => i.field));
  if (!bad.has("server")) {
    const server = params.server.length === 33 ? params.server.slice(1) : params.server;
    if (!equalBytes(server, signerKey)) {
      issues.push({
        code: "vhtlc.server_key_mismatch",
        field: "server",
        message: "server key is not the Ark server's signer key",
      });
    }
  }
  for (const field of VHTLC_DELAY_FIELDS) {
    if (bad.has(field)) continue;
    const delay = params[field];
    if (delay.type !== minExitDelay.type) {
      issues.push({
        code: "vhtlc.delay_type_mismatch",
        field,
        message: `delay is in ${delay.type} but the server counts exit delays in ${minExitDelay.type}`,
      });
    } else if (delay.value < minExitDelay.value) {
      issues.push({
        code: "vhtlc.exit_delay_too_short",
        field,
        message: `${delay.value} ${delay.type} is below the server's exit delay of ${minExitDelay.value}`,
      });
    }
  }
  if (!bad.has("refundLocktime")) {
    const refund = decodeAbsoluteTimelock(params.refundLocktime);
    if (refund.type !== minExitDelay.type) {
      const what = refund.type === "blocks" ? "a block height" : "a unix time";
      issues.push({
        code: "vhtlc.refund_locktime_type_mismatch",
        field: "refundLocktime",
        message: `refund locktime is ${what} but the server's timelocks are in ${minExitDelay.type}`,
      });
    }
  }
  return { valid: issues.length === 0, issues };
}

/**
 * Same checks as validateVhtlcForServer, throwing instead of returning.
 * @throws GatewayError with the first problem's code, all problems in `details.issues`; or
 *   `vhtlc.invalid_server_info`
 */
export function assertVhtlcForServer(params: VhtlcParams, info: ArkServerInfo): void {
  throwIssues(validateVhtlcForServer(params, info).issues);
}

/**
 * The server's x-only signer key and its minimum exit delay, read the way arkd reads its own
 * setting (< 512 blocks, else seconds rounded down to a multiple of 512).
 */
function readServerInfo(info: ArkServerInfo): { signerKey: Uint8Array; minExitDelay: RelativeTimelock } {
  if (typeof info !== "object" || info === null) {
    throw scriptError("vhtlc.invalid_server_info", "server info is missing");
  }
  const hexKey = typeof info.signerPubkey === "string" ? info.signerPubkey : "";
  const xOnly = xOnlyHexOf(hexKey);
  const signerKey = xOnly === undefined ? undefined : hex.decode(xOnly.toLowerCase());
  if (signerKey === undefined || !isValidXOnly(signerKey)) {
    throw scriptError("vhtlc.invalid_server_info", "server signer pubkey is not a valid public key", {
      signerPubkey: hexKey,
    });
  }
  const delay = info.unilateralExitDelay;
  if (typeof delay !== "bigint" || delay <= 0n) {
    throw scriptError("vhtlc.invalid_server_info", "server unilateral exit delay must be a positive bigint");
  }
  const type: TimelockType = delay < SECONDS_GRANULARITY ? "blocks" : "seconds";
  const value = type === "blocks" ? delay : delay - (delay % SECONDS_GRANULARITY);
  return { signerKey, minExitDelay: { type, value } };
}
