/**
 * A swap's VHTLC as stored (hex keys, bigint delays) rebuilt into scripts and checked against
 * the server's GetInfo before the wallet funds or spends it (invariant 7), plus the checks that
 * the key we sign with is the VHTLC's and that the given VTXOs sit at its script.
 */
import type { SwapVhtlc, ScriptVtxo } from "../../swaps/ports/ark.js";
import {
  buildVhtlc,
  rememberedVhtlc,
  validateVhtlcForServer,
  vhtlcParamsFromStored,
  type Vhtlc,
  type VhtlcParams,
} from "../scripts/index.js";
import type { ArkServerInfo } from "../server-info.js";
import { equalBytes, toHex } from "../../lib/bytes.js";
import { isGatewayError } from "../../domain/errors.js";
import { walletError } from "./errors.js";

/**
 * Rebuilds and validates a swap's VHTLC.
 * @throws GatewayError `wallet.invalid_vhtlc` (bad parameters or refused by the server's rules;
 *   every issue in `details.issues`)
 */
export function checkedVhtlc(v: SwapVhtlc, info: ArkServerInfo): Vhtlc {
  return rememberedVhtlc(v, info, () => buildChecked(v, info));
}

function buildChecked(v: SwapVhtlc, info: ArkServerInfo): Vhtlc {
  let params: VhtlcParams;
  try {
    params = vhtlcParamsFromStored(v);
  } catch (err) {
    throw walletError(
      "wallet.invalid_vhtlc",
      `VHTLC parameters do not parse: ${(err as Error).message}`,
      isGatewayError(err) ? { cause: err.code } : undefined,
      err,
    );
  }
  const check = validateVhtlcForServer(params, info);
  if (!check.valid)
    throw walletError(
      "wallet.invalid_vhtlc",
      `VHTLC refused by the server's rules: ${check.issues.map((i) => i.code).join(", ")}`,
      { issues: check.issues.map((i) => ({ code: i.code, field: i.field, message: i.message })) },
    );
  return buildVhtlc(params);
}

/**
 * Our key must be the VHTLC's `role` key.
 * @throws GatewayError `wallet.key_mismatch`
 */
export function assertOurKey(vhtlc: Vhtlc, role: "sender" | "receiver", xOnly: Uint8Array): void {
  if (!equalBytes(vhtlc.params[role], xOnly))
    throw walletError("wallet.key_mismatch", `the swap key is not the VHTLC's ${role} key`, {
      role,
      expected: toHex(vhtlc.params[role]),
      ours: toHex(xOnly),
    });
}

/**
 * The VTXOs must be non-empty, unspent, unswept, distinct and at the VHTLC's script.
 * @throws GatewayError `wallet.invalid_request`, `wallet.vtxo_mismatch`
 */
export function assertVhtlcVtxos(vhtlc: Vhtlc, vtxos: readonly ScriptVtxo[]): void {
  if (!Array.isArray(vtxos) || vtxos.length === 0)
    throw walletError("wallet.invalid_request", "no VHTLC VTXOs to spend");
  const script = toHex(vhtlc.pkScript);
  const seen = new Set<string>();
  for (const v of vtxos) {
    if (v.script.toLowerCase() !== script)
      throw walletError("wallet.vtxo_mismatch", `VTXO ${v.outpoint} is not at the VHTLC's script`, {
        outpoint: v.outpoint,
        script: v.script,
        expected: script,
      });
    if (v.isSpent || v.isSwept)
      throw walletError("wallet.vtxo_mismatch", `VTXO ${v.outpoint} is already spent or swept`, {
        outpoint: v.outpoint,
      });
    if (seen.has(v.outpoint))
      throw walletError("wallet.invalid_request", `VTXO ${v.outpoint} is listed twice`, {
        outpoint: v.outpoint,
      });
    seen.add(v.outpoint);
  }
}

/** @throws GatewayError `wallet.invalid_request` unless `value` is `bytes` bytes of hex */
export function hexBytes(value: string, bytes: number): Uint8Array {
  if (typeof value !== "string" || value.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(value))
    throw walletError("wallet.invalid_request", `expected ${bytes} bytes of hex`, { bytes });
  return Uint8Array.from(Buffer.from(value, "hex"));
}
