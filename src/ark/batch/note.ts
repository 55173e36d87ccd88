/**
 * arkd admin notes (pkg/ark-lib/note): `"arknote" || base58(preimage(32) || value(uint32 BE))`.
 * A note is spent in a batch as a fake VTXO: outpoint `sha256(preimage):0` (the hash taken as
 * the txid's internal bytes), script P2TR(NUMS, [`SHA256 <sha256(preimage)> EQUAL`]), and the
 * preimage in the input's `condition` field. It carries no key, so it needs no signature and
 * no forfeit.
 */
import { base58 } from "@scure/base";
import { sha256 } from "../tx/crypto.js";
import { toHex } from "../tx/bytes.js";
import type { IntentInput } from "../tx/index.js";
import { buildTapTree } from "../scripts/index.js";
import { batchError } from "./errors.js";

export const NOTE_PREFIX = "arknote";
const PREIMAGE_BYTES = 32;
const OP_SHA256 = 0xa8;
const OP_EQUAL = 0x87;

export interface ArkNote {
  readonly preimage: Uint8Array;
  readonly amountSats: bigint;
  /** sha256(preimage). */
  readonly hash: Uint8Array;
  /** The fake outpoint's txid in display order (reversed hash), as arkd prints it. */
  readonly txid: string;
  /** `txid:0`, the event-stream topic of the note input. */
  readonly outpoint: string;
}

/**
 * Parses an encoded note.
 * @param encoded `arknote…` as arkd's admin API mints it
 * @throws GatewayError `batch.invalid_note` (prefix, base58, length, zero value)
 */
export function parseNote(encoded: string): ArkNote {
  if (typeof encoded !== "string" || !encoded.startsWith(NOTE_PREFIX))
    throw batchError("batch.invalid_note", `a note starts with "${NOTE_PREFIX}"`);
  let data: Uint8Array;
  try {
    data = base58.decode(encoded.slice(NOTE_PREFIX.length));
  } catch (err) {
    throw batchError("batch.invalid_note", "note is not valid base58", undefined, err);
  }
  if (data.length !== PREIMAGE_BYTES + 4)
    throw batchError(
      "batch.invalid_note",
      `note data must be ${PREIMAGE_BYTES + 4} bytes, got ${data.length}`,
    );
  const preimage = data.slice(0, PREIMAGE_BYTES);
  const view = new DataView(data.buffer, data.byteOffset + PREIMAGE_BYTES, 4);
  const amountSats = BigInt(view.getUint32(0, false));
  if (amountSats === 0n) throw batchError("batch.invalid_note", "note value is zero");
  const hash = sha256(preimage);
  const txid = toHex(Uint8Array.from(hash).reverse());
  return { preimage, amountSats, hash, txid, outpoint: `${txid}:0` };
}

/** Encodes a note (tests, tooling). @throws GatewayError `batch.invalid_note` */
export function encodeNote(preimage: Uint8Array, amountSats: bigint): string {
  if (!(preimage instanceof Uint8Array) || preimage.length !== PREIMAGE_BYTES)
    throw batchError("batch.invalid_note", "preimage must be 32 bytes");
  if (typeof amountSats !== "bigint" || amountSats <= 0n || amountSats > 0xffffffffn)
    throw batchError("batch.invalid_note", "note value must be a uint32 > 0");
  const data = new Uint8Array(PREIMAGE_BYTES + 4);
  data.set(preimage, 0);
  new DataView(data.buffer).setUint32(PREIMAGE_BYTES, Number(amountSats), false);
  return NOTE_PREFIX + base58.encode(data);
}

/** `OP_SHA256 <hash> OP_EQUAL`: the note closure. */
export function noteLeafScript(hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(35);
  out[0] = OP_SHA256;
  out[1] = 0x20;
  out.set(hash, 2);
  out[34] = OP_EQUAL;
  return out;
}

/** The note as an intent input: its fake outpoint, the note leaf, the preimage as condition. */
export function noteIntentInput(note: ArkNote): IntentInput {
  const leaf = noteLeafScript(note.hash);
  const tree = buildTapTree([leaf]);
  return {
    txid: note.txid,
    vout: 0,
    amountSats: note.amountSats,
    leafScript: leaf,
    controlBlock: tree.controlBlock(0),
    tapTree: [leaf],
    pkScript: tree.pkScript,
    condition: [note.preimage],
    sequence: 0xffffffff,
  };
}
