/** Writing a generated file only when its text changes, and saying which happened. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Writes `text` to `path` unless the file already holds exactly that text.
 * @returns true when the file was written
 */
export function writeIfChanged(path: string, text: string): boolean {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  writeFileSync(path, text);
  return true;
}
