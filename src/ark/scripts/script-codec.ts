/**
 * The small slice of Bitcoin Script that closures need: a tokenizer, minimal data pushes and
 * minimal CScriptNum numbers. Written here rather than taken from a generic Script codec so that
 * decoding can see exactly which push opcode a script used (minimality is part of byte-exactness).
 */
import { concatBytes } from "./bytes.js";
import { scriptError } from "./errors.js";

export const OP = {
  OP_0: 0x00,
  PUSHDATA1: 0x4c,
  PUSHDATA2: 0x4d,
  PUSHDATA4: 0x4e,
  OP_1NEGATE: 0x4f,
  OP_1: 0x51,
  OP_16: 0x60,
  VERIFY: 0x69,
  DROP: 0x75,
  EQUAL: 0x87,
  HASH160: 0xa9,
  CHECKSIG: 0xac,
  CHECKSIGVERIFY: 0xad,
  CHECKMULTISIG: 0xae,
  CHECKMULTISIGVERIFY: 0xaf,
  CHECKLOCKTIMEVERIFY: 0xb1,
  CHECKSEQUENCEVERIFY: 0xb2,
  CHECKSIGADD: 0xba,
} as const;

export interface Token {
  readonly opcode: number;
  /** Pushed bytes for push opcodes (0x01..0x4e); undefined for every other opcode. */
  readonly data: Uint8Array | undefined;
  /** Byte offset of the opcode in the script. */
  readonly start: number;
  /** Byte offset just after the token. */
  readonly end: number;
}

/**
 * Splits a script into tokens.
 * @throws GatewayError `script.truncated_push` when a push runs past the end of the script.
 */
export function tokenize(script: Uint8Array): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < script.length) {
    const start = i;
    const opcode = script[i++] ?? 0;
    let len = -1;
    if (opcode >= 0x01 && opcode <= 0x4b) len = opcode;
    else if (opcode === OP.PUSHDATA1) len = readLen(script, i, 1);
    else if (opcode === OP.PUSHDATA2) len = readLen(script, i, 2);
    else if (opcode === OP.PUSHDATA4) len = readLen(script, i, 4);
    if (opcode === OP.PUSHDATA1) i += 1;
    else if (opcode === OP.PUSHDATA2) i += 2;
    else if (opcode === OP.PUSHDATA4) i += 4;
    if (len < 0) {
      tokens.push({ opcode, data: undefined, start, end: i });
      continue;
    }
    if (i + len > script.length) {
      throw scriptError("script.truncated_push", `push at byte ${start} runs past the end of the script`, {
        offset: start,
      });
    }
    tokens.push({ opcode, data: script.slice(i, i + len), start, end: i + len });
    i += len;
  }
  return tokens;
}

function readLen(script: Uint8Array, at: number, width: number): number {
  if (at + width > script.length) {
    throw scriptError("script.truncated_push", `push length at byte ${at - 1} is truncated`, {
      offset: at - 1,
    });
  }
  let n = 0;
  for (let k = width - 1; k >= 0; k--) n = n * 256 + (script[at + k] ?? 0);
  return n;
}

/** BIP-342 OP_SUCCESSx opcodes: any of them makes a tapscript spendable by anyone. */
export function isOpSuccess(op: number): boolean {
  return (
    op === 80 ||
    op === 98 ||
    (op >= 126 && op <= 129) ||
    (op >= 131 && op <= 134) ||
    (op >= 137 && op <= 138) ||
    (op >= 141 && op <= 142) ||
    (op >= 149 && op <= 153) ||
    (op >= 187 && op <= 254)
  );
}

/** Minimal push of arbitrary bytes (direct push up to 75 bytes, then PUSHDATA1/2). */
export function pushData(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n <= 0x4b) return concatBytes(Uint8Array.of(n), data);
  if (n <= 0xff) return concatBytes(Uint8Array.of(OP.PUSHDATA1, n), data);
  return concatBytes(Uint8Array.of(OP.PUSHDATA2, n & 0xff, n >> 8), data);
}

/** Minimal CScriptNum bytes (little-endian sign-magnitude; 0 is the empty array). */
export function scriptNumBytes(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array(0);
  const neg = n < 0n;
  let abs = neg ? -n : n;
  const out: number[] = [];
  while (abs > 0n) {
    out.push(Number(abs & 0xffn));
    abs >>= 8n;
  }
  const last = out[out.length - 1] ?? 0;
  if (last & 0x80) out.push(neg ? 0x80 : 0x00);
  else if (neg) out[out.length - 1] = last | 0x80;
  return Uint8Array.from(out);
}

/** The minimal script form of a number: OP_0, OP_1..OP_16, OP_1NEGATE or a minimal push. */
export function pushNumber(n: bigint): Uint8Array {
  if (n === 0n) return Uint8Array.of(OP.OP_0);
  if (n === -1n) return Uint8Array.of(OP.OP_1NEGATE);
  if (n >= 1n && n <= 16n) return Uint8Array.of(OP.OP_1 + Number(n) - 1);
  return pushData(scriptNumBytes(n));
}

/**
 * Reads a number token written in its minimal form (the form `pushNumber` writes).
 * Returns undefined when the token is not a number push at all.
 * @throws GatewayError `script.non_minimal_number` for a number push that is not minimal, or
 *   wider than `maxBytes`.
 */
export function readNumber(tok: Token, maxBytes: number): bigint | undefined {
  if (tok.opcode === OP.OP_0) return 0n;
  if (tok.opcode === OP.OP_1NEGATE) return -1n;
  if (tok.opcode >= OP.OP_1 && tok.opcode <= OP.OP_16) return BigInt(tok.opcode - OP.OP_1 + 1);
  const data = tok.data;
  if (data === undefined) return undefined;
  if (data.length === 0 || data.length > maxBytes || tok.opcode !== data.length) {
    throw scriptError("script.non_minimal_number", `number push at byte ${tok.start} is not minimal`, {
      offset: tok.start,
    });
  }
  let n = 0n;
  for (let k = data.length - 1; k >= 0; k--) n = (n << 8n) | BigInt(data[k] ?? 0);
  const top = data[data.length - 1] ?? 0;
  if (top & 0x80) n = -(n & ~(0x80n << BigInt(8 * (data.length - 1))));
  const canonical = pushNumber(n);
  if (canonical.length !== tok.end - tok.start || canonical[0] !== tok.opcode) {
    throw scriptError("script.non_minimal_number", `number push at byte ${tok.start} is not minimal`, {
      offset: tok.start,
    });
  }
  return n;
}
