/** A VHTLC from src/ark/scripts with known keys, for spend and signing tests. */
import { sha256 } from "@noble/hashes/sha2.js";
import { buildVhtlc, h160FromPreimage } from "../../../../src/ark/scripts/index.js";
import { checkpointTapscript, keyFrom } from "./helpers.js";

export function vhtlcFixture(seedByte = 1, refundLocktime = 800_000n) {
  const sender = keyFrom(seedByte);
  const receiver = keyFrom(seedByte + 1);
  const server = keyFrom(seedByte + 2);
  const preimage = sha256(Uint8Array.of(seedByte, 42));
  const vhtlc = buildVhtlc({
    sender: sender.xOnly,
    receiver: receiver.xOnly,
    server: server.xOnly,
    preimageHash: h160FromPreimage(preimage),
    refundLocktime,
    unilateralClaimDelay: { type: "blocks", value: 100n },
    unilateralRefundDelay: { type: "blocks", value: 102n },
    unilateralRefundWithoutReceiverDelay: { type: "blocks", value: 103n },
  });
  const vtxo = { txid: "ab".repeat(32), vout: 1, amountSats: 50_000n };
  const cp = checkpointTapscript(server.xOnly, 10n);
  const dest = { amountSats: 50_000n, pkScript: Uint8Array.of(0x51, 0x20, ...keyFrom(seedByte + 3).xOnly) };
  const common = { vhtlc, vtxo, outputs: [dest], checkpointTapscript: cp, policy: { dustSats: 330n } };
  return { sender, receiver, server, preimage, paymentHash: sha256(preimage), vhtlc, vtxo, cp, dest, common };
}
