/**
 * The wallet side of a failed submarine swap's cooperative refund (we are the VHTLC's sender):
 * build the 3-of-3 refund of one VTXO back to our own script, sign it, have the receiver (the
 * gateway, through its `refund/ark` endpoint) co-sign, then submit to arkd, merge every
 * signature into the server-signed checkpoint and finalize. What a Boltz-API wallet does; the
 * sandbox and the e2e tests play that wallet with it.
 */
import type { ArkServerPort, ArkdInfo } from "../client/index.js";
import type { Vhtlc } from "../scripts/index.js";
import {
  buildVhtlcCooperativeRefund,
  mergeTapscriptSignatures,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
  verifyTapscriptSignatures,
  type SchnorrSigner,
} from "../tx/index.js";
import { walletError } from "./errors.js";
import { outputPolicy } from "./spend-builders.js";
import type { WalletScript } from "./wallet-script.js";

/** The receiver's co-signature: base64 PSBTs in, base64 PSBTs out. */
export type RefundCosigner = (req: {
  readonly arkTx: string;
  readonly checkpoint: string;
}) => Promise<{ readonly arkTx: string; readonly checkpoint: string }>;

/**
 * @returns the refund's ark txid
 * @throws GatewayError `wallet.refund_invalid` when the co-signed txs lack the receiver's
 *   signature or differ from ours, `ark.*` from arkd, and whatever `cosign` throws
 */
export async function requestCooperativeRefund(p: {
  readonly ark: ArkServerPort;
  readonly info: ArkdInfo;
  readonly vhtlc: Vhtlc;
  readonly vtxo: { readonly txid: string; readonly vout: number; readonly amountSats: bigint };
  readonly wallet: WalletScript;
  readonly signer: SchnorrSigner;
  readonly cosign: RefundCosigner;
}): Promise<string> {
  const txs = buildVhtlcCooperativeRefund({
    vhtlc: p.vhtlc,
    vtxo: p.vtxo,
    outputs: [{ amountSats: p.vtxo.amountSats, pkScript: p.wallet.pkScript }],
    checkpointTapscript: Uint8Array.from(Buffer.from(p.info.checkpointTapscript, "hex")),
    policy: outputPolicy(p.info),
  });
  const checkpoint = txs.checkpoints[0]!;
  signTapscriptInput(txs.arkTx, 0, p.signer, { leafScript: p.vhtlc.refund });
  const signed = await p.cosign({ arkTx: psbtBase64(txs.arkTx), checkpoint: psbtBase64(checkpoint) });
  const arkTx = parsePsbt(signed.arkTx);
  const theirCheckpoint = parsePsbt(signed.checkpoint);
  if (arkTx.id !== txs.arkTx.id || theirCheckpoint.id !== checkpoint.id)
    throw walletError("wallet.refund_invalid", "the co-signed refund is not the one we built");
  const receiver = Buffer.from(p.vhtlc.params.receiver).toString("hex");
  if (!verifyTapscriptSignatures(arkTx, 0).includes(receiver))
    throw walletError("wallet.refund_invalid", "the co-signed refund lacks the receiver's signature");
  const submitted = await p.ark.submitTx({
    signedArkTx: signed.arkTx,
    checkpointTxs: [psbtBase64(checkpoint)],
  });
  const serverCheckpoint = parsePsbt(submitted.signedCheckpointTxs[0] ?? "");
  const merged = mergeTapscriptSignatures(serverCheckpoint, theirCheckpoint);
  signTapscriptInput(merged, 0, p.signer, { leafScript: p.vhtlc.refund });
  await p.ark.finalizeTx({ arkTxid: submitted.arkTxid, finalCheckpointTxs: [psbtBase64(merged)] });
  return submitted.arkTxid;
}
