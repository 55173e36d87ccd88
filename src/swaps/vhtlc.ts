/**
 * A swap's VHTLC: from the stored record to the parameters the Ark port and the script builder
 * take, and the address + script after checking it against arkd's GetInfo (invariant 7).
 */
import { hex } from "@scure/base";
import type { ArkServerInfo } from "../ark/server-info.js";
import {
  buildVhtlc,
  encodeArkAddress,
  preimageHash160,
  rememberedVhtlc,
  validateVhtlcForServer,
  vhtlcParamsFromStored,
} from "../ark/scripts/index.js";
import type { VhtlcParams } from "../ark/scripts/index.js";
import type { Swap } from "../domain/swap-records.js";
import type { SwapVhtlc } from "./ports/ark.js";
import { swapError } from "./errors.js";

/** The VHTLC of a stored swap, as the Ark port takes it. */
export function swapVhtlc(swap: Swap): SwapVhtlc {
  return {
    senderPubkey: swap.senderPubkey,
    receiverPubkey: swap.receiverPubkey,
    serverPubkey: swap.serverPubkey,
    preimageHash160: preimageHash160(swap.paymentHash),
    refundLocktime: swap.refundLocktime,
    unilateralClaimDelay: swap.unilateralClaimDelay,
    unilateralRefundDelay: swap.unilateralRefundDelay,
    unilateralRefundWithoutReceiverDelay: swap.unilateralRefundWithoutReceiverDelay,
  };
}

export interface BuiltVhtlc {
  /** Ark address (bech32m, HRP by arkd's network). */
  readonly address: string;
  /** P2TR scriptPubKey, hex (`5120…`). */
  readonly script: string;
}

/**
 * Validates the VHTLC against arkd's rules (server key, delay types, exit delay, locktime type)
 * and builds its address and script.
 * @throws GatewayError `swap.vhtlc_invalid` listing arkd's objections in `details.issues`
 */
export function buildCheckedVhtlc(v: SwapVhtlc, info: ArkServerInfo): BuiltVhtlc {
  const built = rememberedVhtlc(v, info, () => {
    let params: VhtlcParams;
    try {
      params = vhtlcParamsFromStored(v);
    } catch (cause) {
      throw swapError("swap.vhtlc_invalid", "the VHTLC parameters are malformed", undefined, cause);
    }
    const check = validateVhtlcForServer(params, info);
    if (!check.valid) {
      throw swapError("swap.vhtlc_invalid", "the VHTLC does not satisfy arkd's rules", {
        issues: check.issues.map((i) => i.code),
      });
    }
    return buildVhtlc(params);
  });
  const address = encodeArkAddress({
    network: info.network,
    serverKey: built.params.server,
    vtxoOutputKey: built.outputKey,
  });
  return { address, script: hex.encode(built.pkScript) };
}

/**
 * Whether a stored swap's VHTLC still satisfies arkd's GetInfo and still has the stored script
 * (checked again before funding or accepting funding: the server may have rotated its key).
 */
export function vhtlcStillValid(swap: Swap, info: ArkServerInfo): boolean {
  try {
    return buildCheckedVhtlc(swapVhtlc(swap), info).script === swap.lockupScript;
  } catch {
    return false;
  }
}
