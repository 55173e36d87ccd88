/**
 * A raw Bitcoin block, read just far enough to know when it was mined and which transactions it
 * holds: the header's time and every txid (double SHA-256 of the non-witness serialization,
 * shown byte-reversed). Pure; used to find the height at which a commitment tx confirmed.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { chainError } from "./errors.js";

export interface BlockSummary {
  /** Header time, unix seconds. */
  readonly time: number;
  /** Lowercase hex, as block explorers and arkd show them. */
  readonly txids: readonly string[];
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  take(n: number): Uint8Array {
    if (this.pos + n > this.b.length) throw chainError("chain.malformed_block", "block ends early");
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u32(): number {
    const s = this.take(4);
    return (s[0]! | (s[1]! << 8) | (s[2]! << 16)) + s[3]! * 0x1000000;
  }
  varint(): number {
    const first = this.take(1)[0]!;
    if (first < 0xfd) return first;
    const size = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    const bytes = this.take(size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    if (!Number.isSafeInteger(v) || v > this.b.length)
      throw chainError("chain.malformed_block", "a length in the block is out of range");
    return v;
  }
  skipVarBytes(): void {
    this.take(this.varint());
  }
}

function txid(parts: readonly Uint8Array[]): string {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  return hex.encode(sha256(sha256(buf)).reverse());
}

/** Reads one transaction at the reader's position; returns its txid. */
function readTx(r: Reader, raw: Uint8Array): string {
  const start = r.pos;
  r.take(4); // version
  let segwit = false;
  if (raw[r.pos] === 0 && raw[r.pos + 1] === 1) {
    segwit = true;
    r.take(2);
  }
  const bodyStart = r.pos;
  const inputs = r.varint();
  for (let i = 0; i < inputs; i++) {
    r.take(36);
    r.skipVarBytes();
    r.take(4);
  }
  const outputs = r.varint();
  for (let i = 0; i < outputs; i++) {
    r.take(8);
    r.skipVarBytes();
  }
  const bodyEnd = r.pos;
  if (segwit) for (let i = 0; i < inputs; i++) for (let n = r.varint(); n > 0; n--) r.skipVarBytes();
  const lockStart = r.pos;
  r.take(4);
  return txid([
    raw.subarray(start, start + 4),
    raw.subarray(bodyStart, bodyEnd),
    raw.subarray(lockStart, lockStart + 4),
  ]);
}

/**
 * @param raw the serialized block (header + transactions)
 * @throws GatewayError `chain.malformed_block`
 */
export function summarizeBlock(raw: Uint8Array): BlockSummary {
  const r = new Reader(raw);
  r.take(68);
  const time = r.u32();
  r.take(8); // bits, nonce
  const count = r.varint();
  const txids: string[] = [];
  for (let i = 0; i < count; i++) txids.push(readTx(r, raw));
  if (r.pos !== raw.length)
    throw chainError("chain.malformed_block", "bytes left after the last transaction");
  return { time, txids };
}
