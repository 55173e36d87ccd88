import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import { summarizeBlock } from "../../../src/chain/raw-block.js";

function tx(segwit: boolean, seed: number): Transaction {
  const t = new Transaction({
    allowUnknownOutputs: true,
    allowUnknownInputs: true,
    disableScriptCheck: true,
  });
  t.addOutput({ script: hex.decode(`5120${"ab".repeat(32)}`), amount: BigInt(1000 + seed) });
  t.addOutput({ script: new Uint8Array(300).fill(0x6a), amount: 0n });
  t.addInput({
    txid: new Uint8Array(32).fill(seed),
    index: seed,
    sequence: 0xfffffffe,
    witnessUtxo: { script: hex.decode(`0014${"11".repeat(20)}`), amount: 5000n },
    ...(segwit ? { finalScriptWitness: [new Uint8Array(64).fill(seed), new Uint8Array(33).fill(2)] } : {}),
    ...(segwit ? {} : { finalScriptSig: new Uint8Array([0x51]) }),
  });
  return t;
}

function block(time: number, txs: Transaction[]): Uint8Array {
  const header = new Uint8Array(80);
  new DataView(header.buffer).setUint32(68, time, true);
  const parts = [header, new Uint8Array([txs.length]), ...txs.map((t) => t.toBytes(true, true))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe("summarizeBlock", () => {
  it("reads the header time and every txid, segwit or not", () => {
    const txs = [tx(false, 1), tx(true, 2), tx(true, 3), tx(false, 4)];
    const s = summarizeBlock(block(1_764_000_000, txs));
    expect(s.time).toBe(1_764_000_000);
    expect(s.txids).toEqual(txs.map((t) => t.id));
  });

  it("refuses a truncated block and trailing bytes", () => {
    const raw = block(1, [tx(true, 5)]);
    expect(() => summarizeBlock(raw.subarray(0, raw.length - 1))).toThrow(
      expect.objectContaining({ code: "chain.malformed_block" }),
    );
    const longer = new Uint8Array(raw.length + 1);
    longer.set(raw);
    expect(() => summarizeBlock(longer)).toThrow(expect.objectContaining({ code: "chain.malformed_block" }));
  });
});
