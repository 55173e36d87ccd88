/**
 * The gateway's boarding script and onchain boarding address (arkd v0.9.15's boarding output,
 * @arkade-os/sdk's `DefaultVtxo.Script` with the boarding timelock): the same two leaves as a
 * wallet VTXO, with the server's boarding exit delay in the exit leaf:
 * 0 collaborative `<owner> CHECKSIGVERIFY <server> CHECKSIG`   (spent by a batch's commitment tx)
 * 1 exit          `<boarding exit delay> CSV DROP <owner> CHECKSIG` (the owner alone, after the CSV)
 * Coins paid to it onchain join a batch as intent inputs (no forfeit: the owner signs its input
 * of the commitment tx instead) and become a wallet VTXO.
 */
import { bech32m } from "@scure/base";
import type { ArkServerInfo } from "../server-info.js";
import type { VtxoInput } from "../tx/index.js";
import { walletError } from "./errors.js";
import { buildWalletScript, splitOutpoint, type WalletScript } from "./wallet-script.js";

export interface BoardingScript {
  /** The leaves, tree and scriptPubKey (exitLeaf carries the boarding exit delay). */
  readonly script: WalletScript;
  /** bech32m P2TR address for the server's network. */
  readonly address: string;
  /** The exit leaf's delay (BIP68 value as GetInfo gives it). */
  readonly exitDelay: bigint;
}

const HRPS: Readonly<Record<string, string>> = {
  bitcoin: "bc",
  testnet: "tb",
  testnet4: "tb",
  signet: "tb",
  mutinynet: "tb",
  regtest: "bcrt",
};

/**
 * The segwit v1 address of a P2TR output key on a network.
 * @throws GatewayError `wallet.invalid_request` on an unknown network
 */
export function taprootAddress(outputKey: Uint8Array, network: string): string {
  const hrp = HRPS[network];
  if (hrp === undefined)
    throw walletError("wallet.invalid_request", `unknown network ${network}`, { network });
  return bech32m.encode(hrp, [1, ...bech32m.toWords(outputKey)]);
}

/**
 * The boarding script of an owner key under a server.
 * @param ownerXOnly 32-byte x-only owner key (the wallet key)
 * @throws GatewayError `closure.*`, `timelock.*`, `wallet.invalid_request`
 */
export function buildBoardingScript(ownerXOnly: Uint8Array, info: ArkServerInfo): BoardingScript {
  const script = buildWalletScript(ownerXOnly, { ...info, unilateralExitDelay: info.boardingExitDelay });
  return {
    script,
    address: taprootAddress(script.tree.outputKey, info.network),
    exitDelay: info.boardingExitDelay,
  };
}

/** A boarding UTXO as an intent input, spent through the collaborative leaf. */
export function boardingInput(boarding: BoardingScript, outpoint: string, amountSats: bigint): VtxoInput {
  const [txid, vout] = splitOutpoint(outpoint);
  return {
    txid,
    vout,
    amountSats,
    leafScript: boarding.script.forfeitLeaf,
    controlBlock: boarding.script.forfeitControlBlock,
    tapTree: boarding.script.leaves,
    pkScript: boarding.script.pkScript,
  };
}
