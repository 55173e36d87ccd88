/**
 * Output for people (aligned tables, sats with thousands separators, UTC times) and for
 * machines (`--json`: bigints as JSON numbers when exact, else strings; dates ISO 8601).
 */

/** `1234567n` → `"1,234,567"`. */
export function formatSats(sats: bigint | number): string {
  const value = typeof sats === "bigint" ? sats : BigInt(Math.trunc(sats));
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}`;
}

/** `1234n` → `"1,234 sat"`. */
export function satsLabel(sats: bigint | number | null | undefined): string {
  return sats === null || sats === undefined ? "-" : `${formatSats(sats)} sat`;
}

/** `2025-11-20 21:53:21Z`-style UTC time, to the second. */
export function formatTime(date: Date | null | undefined): string {
  if (date === null || date === undefined) return "-";
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export type Align = "left" | "right";

export interface Column<R> {
  readonly header: string;
  readonly value: (row: R) => string;
  readonly align?: Align;
}

/** A plain-text table: a header row, then one line per row, columns separated by two spaces. */
export function renderTable<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]?.align === "right" ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

/** Aligned `key  value` lines. */
export function renderFields(fields: readonly (readonly [string, string])[], indent = "  "): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join("\n");
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value made JSON-safe: bigint → number (string beyond 2^53), Date → ISO, recursively. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint")
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
}

/** Pretty JSON of `toJsonValue(value)`. */
export function renderJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value), null, 2);
}
