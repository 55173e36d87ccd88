import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import { stripWitness, txidOf, wtxid } from "../../../../src/regtest/nbxplorer/routes/rpc.js";

/** A version-3 transaction with one witness input and a P2A output, like an Ark package parent. */
function segwitTx(): Transaction {
  const tx = new Transaction({ version: 3, allowUnknownOutputs: true, allowUnknownVersion: true });
  tx.addOutput({ script: hex.decode("51024e73"), amount: 0n });
  tx.addOutput({ script: hex.decode(`5120${"33".repeat(32)}`), amount: 12_345n });
  tx.addInput({ txid: "11".repeat(32), index: 1, finalScriptWitness: [new Uint8Array(64).fill(7)] });
  return tx;
}

describe("submitpackage helpers", () => {
  it("computes txid (witness stripped) and wtxid of a segwit transaction", () => {
    const tx = segwitTx();
    const withWitness = hex.encode(tx.toBytes(true, true));
    expect(txidOf(withWitness)).toBe(tx.id);
    const expectedWtxid = hex.encode(sha256(sha256(hex.decode(withWitness))).reverse());
    expect(wtxid(withWitness)).toBe(expectedWtxid);
    expect(wtxid(withWitness)).not.toBe(tx.id);
    expect(hex.encode(stripWitness(hex.decode(withWitness)))).toBe(hex.encode(tx.toBytes(true, false)));
  });

  it("leaves a non-witness serialization unchanged (txid = wtxid)", () => {
    const raw = hex.encode(segwitTx().toBytes(true, false));
    expect(hex.encode(stripWitness(hex.decode(raw)))).toBe(raw);
    expect(txidOf(raw)).toBe(wtxid(raw));
  });
});
