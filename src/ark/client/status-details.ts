/**
 * Reads arkd's structured error out of a gRPC status: arkd attaches an `ark.v1.ErrorDetails`
 * (code, name, message, metadata) to the `google.rpc.Status` it sends in the
 * `grpc-status-details-bin` trailer. Two tiny messages do not justify a second protobuf
 * runtime, so this is a minimal wire-format reader (varint and length-delimited fields; other
 * wire types are skipped).
 */

/** arkd's structured error (ark.v1.ErrorDetails). */
export interface ArkdErrorDetails {
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly metadata: Readonly<Record<string, string>>;
}

const ERROR_DETAILS_TYPE_URL = "type.googleapis.com/ark.v1.ErrorDetails";

type Field = { readonly no: number; readonly varint?: bigint; readonly bytes?: Uint8Array };

/** Decodes the top-level fields of one protobuf message; throws on truncated input. */
function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error("truncated varint");
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error("varint too long");
  };
  const skip = (n: number): void => {
    if (pos + n > buf.length) throw new Error("truncated field");
    pos += n;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    switch (key & 7) {
      case 0:
        fields.push({ no, varint: varint() });
        break;
      case 1:
        skip(8);
        break;
      case 2: {
        const len = Number(varint());
        const start = pos;
        skip(len);
        fields.push({ no, bytes: buf.subarray(start, start + len) });
        break;
      }
      case 5:
        skip(4);
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
  return fields;
}

const utf8 = new TextDecoder();

function text(field: Field): string {
  return field.bytes === undefined ? "" : utf8.decode(field.bytes);
}

function decodeErrorDetails(buf: Uint8Array): ArkdErrorDetails {
  let code = 0;
  let name = "";
  let message = "";
  const metadata: Record<string, string> = {};
  for (const f of readFields(buf)) {
    if (f.no === 1 && f.varint !== undefined) code = Number(BigInt.asIntN(32, f.varint));
    else if (f.no === 2) name = text(f);
    else if (f.no === 3) message = text(f);
    else if (f.no === 4 && f.bytes !== undefined) {
      let key = "";
      let value = "";
      for (const e of readFields(f.bytes)) {
        if (e.no === 1) key = text(e);
        else if (e.no === 2) value = text(e);
      }
      metadata[key] = value;
    }
  }
  return { code, name, message, metadata };
}

/**
 * Extracts arkd's ErrorDetails from a serialized google.rpc.Status.
 * @param statusBytes the raw `grpc-status-details-bin` trailer value
 * @returns the details, or undefined when absent or unreadable (never throws: a malformed
 *   trailer must not hide the status code and message it came with)
 */
export function parseArkdErrorDetails(statusBytes: Uint8Array): ArkdErrorDetails | undefined {
  try {
    for (const f of readFields(statusBytes)) {
      if (f.no !== 3 || f.bytes === undefined) continue;
      let typeUrl = "";
      let value: Uint8Array | undefined;
      for (const a of readFields(f.bytes)) {
        if (a.no === 1) typeUrl = text(a);
        else if (a.no === 2) value = a.bytes;
      }
      if (typeUrl === ERROR_DETAILS_TYPE_URL && value !== undefined) {
        return decodeErrorDetails(value);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
