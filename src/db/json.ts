/** JSON text for jsonb columns: bigints become decimal strings, bytes become hex. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
    return v;
  });
}
