import { schnorr } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { hex } from "@scure/base";
import type { ArkServerInfo } from "../../../../src/ark/server-info.js";
import type { VhtlcParams } from "../../../../src/ark/scripts/index.js";

export const key = (n: number): Uint8Array => schnorr.getPublicKey(new Uint8Array(32).fill(n));
export const SENDER = key(1);
export const RECEIVER = key(2);
export const SERVER = key(3);

/** The smallest x (as 32 bytes) that is not on secp256k1: a key no validator may accept. */
export const OFF_CURVE_X: Uint8Array = (() => {
  for (let x = 1n; ; x++) {
    const bytes = hex.decode(x.toString(16).padStart(64, "0"));
    try {
      schnorr.utils.lift_x(bytesToNumberBE(bytes));
    } catch {
      return bytes;
    }
  }
})();

export const PARAMS: VhtlcParams = {
  sender: SENDER,
  receiver: RECEIVER,
  server: SERVER,
  preimageHash: new Uint8Array(20).fill(7),
  refundLocktime: 300n,
  unilateralClaimDelay: { type: "blocks", value: 20n },
  unilateralRefundDelay: { type: "blocks", value: 30n },
  unilateralRefundWithoutReceiverDelay: { type: "blocks", value: 40n },
};

export const SECONDS_PARAMS: VhtlcParams = {
  ...PARAMS,
  refundLocktime: 1_800_000_000n,
  unilateralClaimDelay: { type: "seconds", value: 86_016n },
  unilateralRefundDelay: { type: "seconds", value: 86_528n },
  unilateralRefundWithoutReceiverDelay: { type: "seconds", value: 87_040n },
};

export const INFO: ArkServerInfo = {
  signerPubkey: `02${hex.encode(SERVER)}`,
  forfeitPubkey: `02${hex.encode(SERVER)}`,
  forfeitAddress: "bcrt1q",
  checkpointTapscript: "",
  network: "regtest",
  sessionDurationSeconds: 10n,
  unilateralExitDelay: 20n,
  boardingExitDelay: 30n,
  utxoMinAmountSats: -1n,
  utxoMaxAmountSats: -1n,
  vtxoMinAmountSats: 1n,
  vtxoMaxAmountSats: -1n,
  dustSats: 330n,
  digest: "",
  version: "0.9.15",
  maxTxWeight: 40_000n,
  maxOpReturnOutputs: 3n,
};

export const SECONDS_INFO: ArkServerInfo = { ...INFO, network: "bitcoin", unilateralExitDelay: 86_016n };
