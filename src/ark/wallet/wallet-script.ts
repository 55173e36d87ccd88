/**
 * The gateway's own VTXO script: the standard Ark default tapscript (@arkade-os/sdk DefaultVtxo,
 * arkd's default VTXO), two leaves in this order:
 * 0 forfeit  `<owner> CHECKSIGVERIFY <server> CHECKSIG`       (offchain spends, batches)
 * 1 exit     `<unilateral exit delay> CSV DROP <owner> CHECKSIG` (unilateral exit)
 * over the NUMS internal key, btcd tree shape. The exit delay is the server's public
 * unilateral_exit_delay, as the SDK wallet uses it.
 */
import {
  buildTapTree,
  encodeCsvMultisig,
  encodeMultisig,
  relativeTimelockFromNumber,
  type TapTree,
} from "../scripts/index.js";
import type { ArkServerInfo } from "../server-info.js";
import { toHex } from "../../lib/bytes.js";
import { subdustScript, type VtxoInput } from "../tx/index.js";
import { walletError } from "./errors.js";
import { xOnlyFromHex } from "./keys.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";

export interface WalletScript {
  readonly forfeitLeaf: Uint8Array;
  readonly exitLeaf: Uint8Array;
  /** [forfeit, exit]: the taptree field of every input spending it. */
  readonly leaves: readonly Uint8Array[];
  readonly tree: TapTree;
  readonly pkScript: Uint8Array;
  /** `5120…`, as the indexer names scripts. */
  readonly pkScriptHex: string;
  /** `OP_RETURN <output key>`: where a sub-dust amount for this wallet goes (§4). */
  readonly subdustPkScript: Uint8Array;
  /** Control block of the forfeit leaf. */
  readonly forfeitControlBlock: Uint8Array;
}

/**
 * Builds the wallet's VTXO script for an owner key under a server.
 * @param ownerXOnly 32-byte x-only owner key
 * @param info server facts (signer key, unilateral exit delay)
 * @throws GatewayError `closure.*`, `timelock.*` (invalid key or delay)
 */
export function buildWalletScript(ownerXOnly: Uint8Array, info: ArkServerInfo): WalletScript {
  const server = xOnlyFromHex(info.signerPubkey);
  const forfeitLeaf = encodeMultisig([ownerXOnly, server]);
  const exitLeaf = encodeCsvMultisig(relativeTimelockFromNumber(info.unilateralExitDelay), [ownerXOnly]);
  const leaves = [forfeitLeaf, exitLeaf];
  const tree = buildTapTree(leaves);
  return {
    forfeitLeaf,
    exitLeaf,
    leaves,
    tree,
    pkScript: tree.pkScript,
    pkScriptHex: toHex(tree.pkScript),
    subdustPkScript: subdustScript(tree.outputKey),
    forfeitControlBlock: tree.controlBlock(0),
  };
}

/** A wallet VTXO as an input spent through the forfeit leaf. */
export function walletInput(script: WalletScript, outpoint: string, amountSats: bigint): VtxoInput {
  const [txid, vout] = splitOutpoint(outpoint);
  return {
    txid,
    vout,
    amountSats,
    leafScript: script.forfeitLeaf,
    controlBlock: script.forfeitControlBlock,
    tapTree: script.leaves,
    pkScript: script.pkScript,
  };
}

/**
 * `txid:vout` → [txid, vout].
 * @throws GatewayError `wallet.invalid_request`
 */
export function splitOutpoint(outpoint: string): [string, number] {
  const parsed = tryParseOutpoint(outpoint);
  if (parsed === undefined)
    throw walletError("wallet.invalid_request", `not an outpoint: ${outpoint}`, { outpoint });
  return [parsed.txid, parsed.vout];
}
