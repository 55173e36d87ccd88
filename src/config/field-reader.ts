/**
 * A small validator for settings that come from the environment and/or a JSON file. Each read
 * names its file path and env variable; the env wins. Problems are collected, never thrown one
 * by one, so the operator sees every mistake at once.
 */

/** A parser throws a ConfigProblem (or any Error) whose message says what is expected. */
export type Parser<T> = (raw: unknown) => T;

export interface FieldSpec<T> {
  /** Dotted path in the JSON file, e.g. "lnd.socket"; none for env-only settings (secrets). */
  readonly path?: string;
  /** Environment variable, e.g. "GATEWAY_LND_SOCKET". */
  readonly env?: string;
  readonly parse: Parser<T>;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigReader {
  readonly problems: string[] = [];
  private readonly knownPaths = new Set<string>();

  constructor(
    private readonly env: Env,
    private readonly file: Readonly<Record<string, unknown>> | undefined,
    private readonly fileLabel = "config file",
  ) {}

  /** The parsed value, or undefined when absent. Invalid values are recorded as problems. */
  optional<T>(spec: FieldSpec<T>): T | undefined {
    if (spec.path !== undefined) this.knownPaths.add(spec.path);
    const found = this.lookup(spec);
    if (found === undefined) return undefined;
    try {
      return spec.parse(found.raw);
    } catch (err) {
      this.problems.push(`${found.source}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** The parsed value or `fallback` when absent. */
  withDefault<T>(spec: FieldSpec<T>, fallback: T): T {
    return this.optional(spec) ?? fallback;
  }

  /**
   * The parsed value; absent or invalid values are recorded as problems. The returned value is
   * then a placeholder: the loader throws whenever problems exist, so it is never used.
   */
  required<T>(spec: FieldSpec<T>): T {
    const before = this.problems.length;
    const value = this.optional(spec);
    if (value === undefined && this.problems.length === before) {
      const alternative =
        spec.env !== undefined && spec.path !== undefined ? ` (or "${spec.path}" in the config file)` : "";
      this.problems.push(`${spec.env ?? spec.path ?? "setting"}: required${alternative}`);
    }
    return value as T;
  }

  /** Records a cross-field problem. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Records every file key no read asked for (typos would otherwise be silently ignored). */
  reportUnknownFileKeys(): void {
    if (this.file === undefined) return;
    for (const path of leafPaths(this.file, "")) {
      if (!this.knownPaths.has(path)) this.problems.push(`${this.fileLabel}: unknown setting "${path}"`);
    }
  }

  private lookup(spec: FieldSpec<unknown>): { raw: unknown; source: string } | undefined {
    const fromEnv = spec.env === undefined ? undefined : this.env[spec.env];
    if (fromEnv !== undefined && fromEnv !== "") return { raw: fromEnv, source: spec.env as string };
    const fromFile =
      this.file === undefined || spec.path === undefined ? undefined : valueAt(this.file, spec.path);
    if (fromFile !== undefined && fromFile !== null)
      return { raw: fromFile, source: `${this.fileLabel} "${spec.path}"` };
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(root: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

function leafPaths(node: Readonly<Record<string, unknown>>, prefix: string): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return isPlainObject(value) ? leafPaths(value, path) : [path];
  });
}
