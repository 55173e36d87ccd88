/**
 * Co-signing a wallet's cooperative VHTLC refund (refund leaf, sender + receiver + server), the
 * Boltz `POST /v2/swap/submarine/{id}/refund/ark` exchange: one ark tx and its one checkpoint.
 * Before signing we check, with the indexer and the tx core:
 * - the checkpoint spends a live VTXO at this swap's VHTLC, with the indexer's amount;
 * - both txs are exactly the refund-leaf spend of it (rebuilt and compared by txid);
 * - no output pays the gateway (our wallet or the VHTLC itself) and Σ outputs = the VTXO;
 * - every signature already on it verifies (none is required: `@arkade-os/boltz-swap` 0.2.20,
 *   `refundVHTLCwithOffchainTx`, sends both PSBTs unsigned, checks our signatures and only then
 *   signs, as Boltz expects; our signature alone spends nothing from the 3-of-3 refund leaf, and
 *   it commits to the outputs, so the wallet's funds still go only where the wallet signs).
 * The engine decides whether a refund is allowed at all (invariant 1); this only validates.
 */
import type { ArkIndexerPort } from "../client/index.js";
import type { Vhtlc } from "../scripts/index.js";
import type { ArkServerInfo } from "../server-info.js";
import { toHex } from "../../lib/bytes.js";
import {
  P2A_SCRIPT,
  cosignVhtlcCooperativeRefund,
  parsePsbt,
  psbtBase64,
  type SchnorrSigner,
} from "../tx/index.js";
import { isGatewayError } from "../../domain/errors.js";
import { walletError } from "./errors.js";
import { outputPolicy } from "./spend-builders.js";
import type { WalletScript } from "./wallet-script.js";
import { formatOutpoint } from "../../domain/outpoint.js";

export interface CosignRefundInput {
  readonly indexer: Pick<ArkIndexerPort, "getVtxos">;
  readonly vhtlc: Vhtlc;
  readonly info: ArkServerInfo;
  readonly wallet: WalletScript;
  /** Our key: the VHTLC's receiver. */
  readonly signer: SchnorrSigner;
  readonly arkTx: string;
  readonly checkpoint: string;
  /** Outpoints (`txid:vout`) refused as inputs whatever their state. */
  readonly excludedOutpoints: readonly string[];
}

/**
 * Validates and co-signs.
 * @returns our signed copies (base64 PSBTs)
 * @throws GatewayError `wallet.refund_invalid` (details.reason says which check failed),
 *   `ark.*` from the indexer
 */
export async function cosignCooperativeRefund(
  p: CosignRefundInput,
): Promise<{ arkTx: string; checkpoint: string }> {
  const refuse = (reason: string, message: string, cause?: unknown) =>
    walletError("wallet.refund_invalid", message, { reason }, cause);
  const arkTx = parseOr(p.arkTx, refuse);
  const checkpoint = parseOr(p.checkpoint, refuse);
  if (arkTx.inputsLength !== 1 || checkpoint.inputsLength !== 1)
    throw refuse("input_count", "a cooperative refund spends exactly one VHTLC VTXO through one checkpoint");
  const spent = checkpoint.getInput(0);
  if (spent.txid === undefined || spent.index === undefined)
    throw refuse("foreign_input", "the checkpoint has no input outpoint");
  const outpoint = { txid: toHex(spent.txid), vout: spent.index };
  if (p.excludedOutpoints.includes(formatOutpoint(outpoint)))
    throw refuse("swap_funding", `input ${outpoint.txid}:${outpoint.vout} is this swap's claimed funding`);
  const { vtxos } = await p.indexer.getVtxos({ outpoints: [outpoint] });
  const vtxo = vtxos.find((v) => v.outpoint.txid === outpoint.txid && v.outpoint.vout === outpoint.vout);
  const vhtlcScript = toHex(p.vhtlc.pkScript);
  if (vtxo === undefined || vtxo.script.toLowerCase() !== vhtlcScript)
    throw refuse(
      "foreign_input",
      `input ${outpoint.txid}:${outpoint.vout} is not a VTXO of this swap's VHTLC`,
    );
  if (vtxo.flags.spent || vtxo.flags.swept)
    throw refuse("input_spent", `input ${outpoint.txid}:${outpoint.vout} is already spent or swept`);

  let total = 0n;
  for (let i = 0; i < arkTx.outputsLength; i++) {
    const o = arkTx.getOutput(i);
    if (o.script === undefined || o.amount === undefined)
      throw refuse("bad_output", `output ${i} is incomplete`);
    const script = toHex(o.script);
    if (
      script === p.wallet.pkScriptHex ||
      script === vhtlcScript ||
      script === toHex(p.wallet.subdustPkScript)
    )
      throw refuse("pays_gateway", `output ${i} pays the gateway, not the wallet`);
    if (i === arkTx.outputsLength - 1 && script !== toHex(P2A_SCRIPT))
      throw refuse("bad_output", "the last output must be the P2A anchor");
    total += o.amount;
  }
  if (total !== vtxo.amountSats)
    throw refuse("amount_mismatch", `outputs pay ${total} sats, the VTXO holds ${vtxo.amountSats}`);

  try {
    const signed = cosignVhtlcCooperativeRefund({
      vhtlc: p.vhtlc,
      vtxo: { ...outpoint, amountSats: vtxo.amountSats },
      checkpointTapscript: Uint8Array.from(Buffer.from(p.info.checkpointTapscript, "hex")),
      policy: outputPolicy(p.info),
      arkTx,
      checkpoint,
      key: p.signer,
    });
    return { arkTx: psbtBase64(signed.arkTx), checkpoint: psbtBase64(signed.checkpoint) };
  } catch (err) {
    if (isGatewayError(err) && err.code.startsWith("arktx."))
      throw refuse(err.code.slice("arktx.".length), `not a valid cooperative refund: ${err.message}`, err);
    throw err;
  }
}

function parseOr(psbt: string, refuse: (reason: string, message: string, cause?: unknown) => Error) {
  try {
    return parsePsbt(psbt);
  } catch (err) {
    throw refuse("invalid_psbt", "the PSBT does not parse", err);
  }
}
