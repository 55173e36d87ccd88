import { ArkNote } from "@arkade-os/sdk";
import { base58, hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  encodeNote,
  intentInputs,
  noteIntentInput,
  noteLeafScript,
  parseNote,
} from "../../../../src/ark/batch/index.js";
import { sha256 } from "../../../../src/ark/tx/crypto.js";
import { buildIntentProof } from "../../../../src/ark/tx/index.js";

// arkd v0.9.15 pkg/ark-lib/note/note_test.go vectors
const VECTORS = [
  {
    str: "arknote8rFzGqZsG9RCLripA6ez8d2hQEzFKsqCeiSnXhQj56Ysw7ZQT",
    preimage: "11d2a03264d0efd311d2a03264d0efd311d2a03264d0efd311d2a03264d0efd3",
    value: 900000n,
  },
  {
    str: "arknoteSkB92YpWm4Q2ijQHH34cqbKkCZWszsiQgHVjtNeFF2Cwp59D",
    preimage: "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
    value: 1828932n,
  },
];

describe("arkd notes", () => {
  it.each(VECTORS)("parses arkd's vector $value", (v) => {
    const note = parseNote(v.str);
    expect(hex.encode(note.preimage)).toBe(v.preimage);
    expect(note.amountSats).toBe(v.value);
    expect(encodeNote(note.preimage, note.amountSats)).toBe(v.str);
  });

  it.each(VECTORS)("matches @arkade-os/sdk's fake outpoint and script ($value)", (v) => {
    const ours = parseNote(v.str);
    const sdk = ArkNote.fromString(v.str);
    expect(ours.txid).toBe(sdk.txid);
    expect(ours.outpoint).toBe(`${sdk.txid}:0`);
    const input = noteIntentInput(ours);
    expect(hex.encode(input.pkScript as Uint8Array)).toBe(hex.encode(sdk.vtxoScript.pkScript));
    expect(hex.encode(input.leafScript)).toBe(hex.encode(noteLeafScript(sha256(ours.preimage))));
    expect(input.condition).toEqual([ours.preimage]);
  });

  it.each([
    ["no prefix", "8rFzGqZsG9RCLripA6ez8d2hQEzFKsqCeiSnXhQj56Ysw7ZQT"],
    ["other prefix", "arknotx8rFzGqZsG9RCLripA6ez8d2hQEzFKsqCeiSnXhQj56Ysw7ZQT"],
    ["not base58", "arknote0OIl"],
    ["too short", `arknote${"2".repeat(10)}`],
    ["empty", "arknote"],
    ["zero value", encodeZero()],
  ])("refuses a bad note (%s) with batch.invalid_note", (_name, str) => {
    expect(() => parseNote(str)).toThrow(expect.objectContaining({ code: "batch.invalid_note" }));
  });

  it("a notes-only intent proof needs no signature and carries the preimage", () => {
    const note = parseNote(VECTORS[0]?.str as string);
    const inputs = intentInputs({ vtxos: [], notes: [note] });
    const proof = buildIntentProof({ message: "m", inputs });
    expect(proof.proof.inputsLength).toBe(2);
    const input = proof.proof.getInput(1);
    expect(hex.encode(input.txid as Uint8Array)).toBe(note.txid);
    expect(input.witnessUtxo?.amount).toBe(900000n);
  });
});

function encodeZero(): string {
  const data = new Uint8Array(36).fill(7);
  data.fill(0, 32); // value 0
  return `arknote${base58.encode(data)}`;
}
