/** What a command may touch of the outside world: injected so tests run commands in-process. */
import type { Env } from "../config/field-reader.js";

export interface CliIo {
  /** One line (or block) of command output, for people or machines. */
  out(text: string): void;
  /** Diagnostics: errors, progress. */
  err(text: string): void;
  readonly env: Env;
  /** Reads a config file (default fs.readFileSync utf8). */
  readonly readFile?: (path: string) => string;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    env: process.env,
  };
}
