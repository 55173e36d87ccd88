/**
 * Reads the preimage a wallet revealed when it claimed a VHTLC: the spent VTXO names the ark tx
 * that spent it; GetVirtualTxs returns that tx (base64 PSBT) with each input's `condition` field,
 * which arkd keeps even when it withholds signatures. The preimage is returned only when its
 * sha256 is the payment hash (invariant 2 relies on that).
 */
import type { ScriptVtxo } from "../../swaps/ports/ark.js";
import type { ArkIndexerPort } from "../client/index.js";
import { isGatewayError } from "../../domain/errors.js";
import { toHex } from "../../lib/bytes.js";
import { extractPreimage } from "../tx/index.js";
import type { WalletLogger } from "./logger.js";
import { hexBytes } from "./vhtlc-check.js";

/**
 * @param vtxo a VHTLC VTXO as vtxosAt reported it
 * @param paymentHash sha256 of the preimage, hex (32 bytes)
 * @returns the preimage (hex), or undefined when the VTXO is unspent, was spent without a
 *   condition (a refund), or arkd does not return the spending tx
 * @throws GatewayError `wallet.invalid_request` (bad hash), `ark.*` from GetVirtualTxs,
 *   `arktx.invalid_psbt` when arkd returns garbage
 */
export async function revealedPreimage(
  indexer: Pick<ArkIndexerPort, "getVirtualTxs">,
  log: WalletLogger,
  vtxo: ScriptVtxo,
  paymentHash: string,
): Promise<string | undefined> {
  const hash = hexBytes(paymentHash, 32);
  if (!vtxo.isSpent || vtxo.spentByArkTxid === undefined) return undefined;
  const { txs } = await indexer.getVirtualTxs({ txids: [vtxo.spentByArkTxid] });
  if (txs.length === 0) {
    log.warn(
      { outpoint: vtxo.outpoint, arkTxid: vtxo.spentByArkTxid },
      "spending ark tx not returned by arkd",
    );
    return undefined;
  }
  for (const tx of txs) {
    try {
      return toHex(extractPreimage(tx, { hash: { sha256: hash } }));
    } catch (err) {
      if (isGatewayError(err, "arktx.preimage_not_found")) continue;
      if (isGatewayError(err, "arktx.preimage_mismatch")) {
        log.warn(
          { outpoint: vtxo.outpoint, arkTxid: vtxo.spentByArkTxid },
          "spend reveals no matching preimage",
        );
        continue;
      }
      throw err;
    }
  }
  return undefined;
}
