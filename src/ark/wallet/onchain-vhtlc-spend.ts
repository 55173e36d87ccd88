/**
 * The wallet's side of an onchain VHTLC spend: a VHTLC output that is onchain (its funding Ark
 * tx unrolled) spent through a unilateral leaf with this wallet's swap key — the receiver's
 * unilateralClaim (with the preimage) or the sender's unilateralRefundWithoutReceiver. The tx
 * is built and signed here; broadcasting it is the caller's (LND, btcd). See
 * docs/onchain-watcher.md.
 */
import { hex } from "@scure/base";
import type { OnchainVhtlcSpend } from "../../swaps/ports/ark.js";
import type { ArkServerInfo } from "../server-info.js";
import { buildVhtlcUnilateralSpend, type SignedOnchainTx, type UnilateralLeaf } from "../tx/index.js";
import type { KeyRing } from "./keys.js";
import { assertOurKey, checkedVhtlc, hexBytes } from "./vhtlc-check.js";

export type OnchainVhtlcSpendRequest = OnchainVhtlcSpend & { readonly leaf: UnilateralLeaf };

/**
 * @throws GatewayError `wallet.invalid_vhtlc`, `wallet.key_mismatch` (our key is not the leaf's
 *   signer: receiver for a claim, sender for a refund), `wallet.invalid_request`, `arktx.*`
 */
export function signOnchainVhtlcSpend(
  keys: KeyRing,
  info: ArkServerInfo,
  req: OnchainVhtlcSpendRequest,
): SignedOnchainTx {
  const vhtlc = checkedVhtlc(req.vhtlc, info);
  const key = keys.swapKey(req.keyIndex);
  assertOurKey(vhtlc, req.leaf === "unilateralClaim" ? "receiver" : "sender", key.signer.xOnlyPubkey);
  return buildVhtlcUnilateralSpend({
    vhtlc,
    leaf: req.leaf,
    outpoint: req.outpoint,
    amountSats: req.amountSats,
    destinationScript: hex.decode(req.destinationScript),
    feeSats: req.feeSats,
    key: key.signer,
    ...(req.preimage === undefined ? {} : { preimage: hexBytes(req.preimage, 32) }),
  });
}
