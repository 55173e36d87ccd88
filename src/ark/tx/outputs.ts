/**
 * Output rules of an Ark transaction, as arkd enforces them on SubmitTx: amounts at or above
 * dust go to P2TR scripts within the VTXO min/max; sub-dust amounts only as an OP_RETURN
 * `RETURN <32-byte key>`; other OP_RETURNs carry no value; the P2A anchor is added by the
 * builder, never by the caller.
 */
import { equalBytes } from "./bytes.js";
import { arkTxError } from "./errors.js";

/** `OP_1 PUSH2 4e73`, the pay-to-anchor script every Ark tx ends with (value 0). */
export const P2A_SCRIPT = Uint8Array.of(0x51, 0x02, 0x4e, 0x73);

/** One receiver of an Ark tx. */
export interface TxOutputSpec {
  readonly amountSats: bigint;
  readonly pkScript: Uint8Array;
}

/** The GetInfo limits outputs are checked against. Negative min/max mean "no limit" (arkd's -1). */
export interface OutputPolicy {
  readonly dustSats: bigint;
  readonly vtxoMinAmountSats?: bigint;
  readonly vtxoMaxAmountSats?: bigint;
  /** Upper bound of OP_RETURN outputs (GetInfo.max_op_return_outputs); unlimited when absent. */
  readonly maxOpReturnOutputs?: number;
}

export function isP2tr(script: Uint8Array): boolean {
  return script.length === 34 && script[0] === 0x51 && script[1] === 0x20;
}

/** Sub-dust receiver script: `OP_RETURN <32-byte x-only key>`. */
export function isSubdustScript(script: Uint8Array): boolean {
  return script.length === 34 && script[0] === 0x6a && script[1] === 0x20;
}

/** `OP_RETURN <32-byte x-only key>`, how a sub-dust amount is paid to an Ark address. */
export function subdustScript(xonly: Uint8Array): Uint8Array {
  if (xonly.length !== 32) throw arkTxError("arktx.invalid_script", "sub-dust key must be 32 bytes");
  const s = new Uint8Array(34);
  s[0] = 0x6a;
  s[1] = 0x20;
  s.set(xonly, 2);
  return s;
}

/**
 * Validates receiver outputs against the server's limits.
 * @returns Σ amounts (sats)
 * @throws GatewayError `arktx.no_outputs`, `arktx.invalid_amount`, `arktx.invalid_script`,
 *   `arktx.anchor_output`, `arktx.output_below_dust`, `arktx.output_not_taproot`,
 *   `arktx.subdust_not_below_dust`, `arktx.op_return_with_value`, `arktx.output_below_min`,
 *   `arktx.output_above_max`, `arktx.too_many_op_returns`
 */
export function validateOutputs(outputs: readonly TxOutputSpec[], policy: OutputPolicy): bigint {
  if (!Array.isArray(outputs) || outputs.length === 0)
    throw arkTxError("arktx.no_outputs", "an Ark transaction needs at least one output");
  if (typeof policy?.dustSats !== "bigint" || policy.dustSats < 0n)
    throw arkTxError("arktx.invalid_amount", "policy.dustSats must be a non-negative bigint");
  const min = policy.vtxoMinAmountSats ?? -1n;
  const max = policy.vtxoMaxAmountSats ?? -1n;
  let total = 0n;
  let opReturns = 0;
  outputs.forEach((out, index) => {
    if (validateOutput(out, index, policy, min, max)) opReturns++;
    total += out.amountSats;
  });
  if (
    policy.maxOpReturnOutputs !== undefined &&
    policy.maxOpReturnOutputs >= 0 &&
    opReturns > policy.maxOpReturnOutputs
  )
    throw arkTxError(
      "arktx.too_many_op_returns",
      `${opReturns} OP_RETURN outputs, at most ${policy.maxOpReturnOutputs}`,
    );
  return total;
}

/**
 * Validates one receiver output (see validateOutputs).
 * @param min the VTXO minimum in sats, or -1n for none
 * @param max the VTXO maximum in sats, or -1n for none
 * @returns whether the output is an OP_RETURN (sub-dust or data)
 */
function validateOutput(
  out: TxOutputSpec,
  index: number,
  policy: OutputPolicy,
  min: bigint,
  max: bigint,
): boolean {
  const { amountSats: amount, pkScript: script } = out;
  if (typeof amount !== "bigint" || amount < 0n || amount > 2_100_000_000_000_000n)
    throw arkTxError("arktx.invalid_amount", `output ${index}: amount must be a bigint in [0, 21e14]`, {
      index,
    });
  if (!(script instanceof Uint8Array) || script.length === 0 || script.length > 10_000)
    throw arkTxError("arktx.invalid_script", `output ${index}: pkScript must be non-empty bytes`, {
      index,
    });
  if (equalBytes(script, P2A_SCRIPT))
    throw arkTxError("arktx.anchor_output", `output ${index}: the anchor is added by the builder`, {
      index,
    });
  if (script[0] === 0x6a) {
    if (isSubdustScript(script)) {
      if (amount >= policy.dustSats)
        throw arkTxError(
          "arktx.subdust_not_below_dust",
          `output ${index}: sub-dust output must be below dust`,
          {
            index,
            amountSats: amount.toString(),
          },
        );
      if (min >= 0n && amount < min)
        throw arkTxError("arktx.output_below_min", `output ${index}: below the VTXO minimum`, { index });
    } else if (amount > 0n) {
      throw arkTxError("arktx.op_return_with_value", `output ${index}: a data OP_RETURN carries no value`, {
        index,
      });
    }
    return true;
  }
  if (max >= 0n && amount > max)
    throw arkTxError("arktx.output_above_max", `output ${index}: above the VTXO maximum`, { index });
  if (min >= 0n && amount < min)
    throw arkTxError("arktx.output_below_min", `output ${index}: below the VTXO minimum`, { index });
  if (amount < policy.dustSats)
    throw arkTxError("arktx.output_below_dust", `output ${index}: below dust must use an OP_RETURN script`, {
      index,
      amountSats: amount.toString(),
    });
  if (!isP2tr(script))
    throw arkTxError("arktx.output_not_taproot", `output ${index}: must be a P2TR script`, { index });
  return false;
}
