/**
 * The facts of an Ark server (arkd `GetInfo`) that scripts, transactions and swaps depend on,
 * in domain form: keys as 33-byte compressed hex, amounts and delays as bigint.
 * The gRPC client (src/ark/client) produces it; src/ark/scripts validates VHTLCs against it.
 */
export interface ArkServerInfo {
  /** Server's signing key inside VTXO scripts (33-byte compressed, hex). NOT the forfeit key. */
  readonly signerPubkey: string;
  readonly forfeitPubkey: string;
  readonly forfeitAddress: string;
  /** Hex of the checkpoint exit tapscript (`<delay> CSV DROP <server> CHECKSIG`). */
  readonly checkpointTapscript: string;
  /** "bitcoin" | "testnet" | "signet" | "mutinynet" | "regtest" as arkd reports it. */
  readonly network: string;
  readonly sessionDurationSeconds: bigint;
  /** Public unilateral exit delay (BIP68 value: < 512 blocks, else seconds). */
  readonly unilateralExitDelay: bigint;
  readonly boardingExitDelay: bigint;
  /** -1n means "no limit", as arkd reports it. */
  readonly utxoMinAmountSats: bigint;
  readonly utxoMaxAmountSats: bigint;
  readonly vtxoMinAmountSats: bigint;
  readonly vtxoMaxAmountSats: bigint;
  readonly dustSats: bigint;
  readonly digest: string;
  readonly version: string;
  readonly maxTxWeight: bigint;
  readonly maxOpReturnOutputs: bigint;
}
