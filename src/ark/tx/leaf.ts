/**
 * Just enough tapscript reading for transaction building: the absolute (CLTV) or relative (CSV)
 * lock of an Ark closure, the x-only keys it checks, and a HASH160 condition. Full closure
 * decoding lives in src/ark/scripts; this reader only looks at the shapes arkd itself keys on.
 */

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_1NEGATE = 0x4f;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_DROP = 0x75;
const OP_EQUAL = 0x87;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
const OP_CHECKSIGVERIFY = 0xad;
const OP_CLTV = 0xb1;
const OP_CSV = 0xb2;

/** One script element: a push (data) or an opcode. */
type Token = { op: number; data?: Uint8Array };

/** Tokenizes a script; undefined when a push runs past the end. */
export function tokenize(script: Uint8Array): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < script.length) {
    const op = script[i++] as number;
    let len = -1;
    if (op > OP_0 && op < OP_PUSHDATA1) len = op;
    else if (op === OP_PUSHDATA1) {
      if (i + 1 > script.length) return undefined;
      len = script[i] as number;
      i += 1;
    } else if (op === OP_PUSHDATA2) {
      if (i + 2 > script.length) return undefined;
      len = (script[i] as number) | ((script[i + 1] as number) << 8);
      i += 2;
    } else if (op === OP_PUSHDATA4) {
      if (i + 4 > script.length) return undefined;
      len =
        ((script[i] as number) | ((script[i + 1] as number) << 8) | ((script[i + 2] as number) << 16)) +
        (script[i + 3] as number) * 0x1000000;
      i += 4;
    }
    if (len >= 0) {
      if (i + len > script.length) return undefined;
      out.push({ op, data: script.subarray(i, i + len) });
      i += len;
    } else out.push({ op });
  }
  return out;
}

/** Value of a number-pushing token (OP_0, OP_1..OP_16, OP_1NEGATE or a ≤5-byte CScriptNum). */
function tokenNumber(t: Token | undefined): bigint | undefined {
  if (t === undefined) return undefined;
  if (t.op === OP_0) return 0n;
  if (t.op === OP_1NEGATE) return -1n;
  if (t.op >= OP_1 && t.op <= OP_16) return BigInt(t.op - OP_1 + 1);
  const d = t.data;
  if (d === undefined || d.length === 0 || d.length > 5) return undefined;
  let v = 0n;
  for (let i = d.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(d[i] as number);
  const last = d[d.length - 1] as number;
  if (last & 0x80) {
    v &= ~(0x80n << BigInt(8 * (d.length - 1)));
    v = -v;
  }
  return v;
}

/** What a leaf script tells the transaction builder. */
export interface LeafInfo {
  /** `<locktime> CLTV DROP` at the start of the leaf (arkd's CLTVMultisig), else undefined. */
  readonly cltv: bigint | undefined;
  /** First `<sequence> CSV` in the leaf (CSVMultisig / ConditionCSVMultisig), else undefined. */
  readonly csv: bigint | undefined;
  /** x-only keys followed by CHECKSIG/CHECKSIGVERIFY, in script order. */
  readonly pubkeys: Uint8Array[];
  /** The 20-byte hash of a `HASH160 <h> EQUAL` condition, if any. */
  readonly hash160: Uint8Array | undefined;
}

/** @returns the leaf's lock, keys and condition hash; undefined when the script does not parse */
export function readLeaf(script: Uint8Array): LeafInfo | undefined {
  const tokens = tokenize(script);
  if (tokens === undefined || tokens.length === 0) return undefined;
  let cltv: bigint | undefined;
  if (tokens[1]?.op === OP_CLTV && tokens[2]?.op === OP_DROP) cltv = tokenNumber(tokens[0]);
  let csv: bigint | undefined;
  let hash: Uint8Array | undefined;
  const pubkeys: Uint8Array[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1];
    if (csv === undefined && next?.op === OP_CSV) csv = tokenNumber(t);
    if (t.data?.length === 32 && (next?.op === OP_CHECKSIG || next?.op === OP_CHECKSIGVERIFY)) {
      pubkeys.push(t.data);
    }
    if (
      hash === undefined &&
      t.op === OP_HASH160 &&
      next?.data?.length === 20 &&
      tokens[i + 2]?.op === OP_EQUAL
    ) {
      hash = next.data;
    }
  }
  return { cltv, csv, pubkeys, hash160: hash };
}

/** nLockTime values at or above this are unix times, below are block heights. */
export const LOCKTIME_THRESHOLD = 500_000_000n;
