/**
 * The wallet seed: every key the gateway signs with derives from it (see keys.ts). It comes
 * either from a file holding exactly 32 raw bytes, created on first start with mode 0600 and
 * refused later when anyone but the owner may read or write it, or from an environment value
 * (hex) for deployments that inject secrets. The seed is never logged.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs } from "node:fs";
import { dirname } from "node:path";
import { walletError } from "./errors.js";
import { isHex } from "../../lib/hex.js";

/** Length of a seed file, in bytes. */
export const SEED_FILE_BYTES = 32;
/** Permission bits a seed file may have: owner read/write at most. */
const GROUP_OTHER_BITS = 0o077;

export interface SeedFileOptions {
  /** Create the file with 32 fresh random bytes (mode 0600) when it does not exist. Default true. */
  readonly create?: boolean;
}

/**
 * Reads the seed file, creating it first when missing (and `create` is not false).
 * @param path seed file path
 * @returns the 32-byte seed
 * @throws GatewayError `wallet.seed_missing` (no file and create is false),
 *   `wallet.seed_permissions` (group/other bits set, or not a regular file),
 *   `wallet.seed_invalid` (not exactly 32 bytes), `wallet.seed_io` (any other IO error)
 */
export async function loadSeedFile(path: string, opts: SeedFileOptions = {}): Promise<Uint8Array> {
  if (typeof path !== "string" || path === "")
    throw walletError("wallet.seed_missing", "no seed file path configured");
  const create = opts.create ?? true;
  if (!(await exists(path))) {
    if (!create) throw walletError("wallet.seed_missing", `seed file ${path} does not exist`, { path });
    await createSeedFile(path);
  }
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (err) {
    throw walletError("wallet.seed_io", `cannot stat seed file ${path}`, { path }, err);
  }
  if (!stat.isFile())
    throw walletError("wallet.seed_permissions", `seed ${path} is not a regular file`, { path });
  const mode = stat.mode & 0o777;
  if ((mode & GROUP_OTHER_BITS) !== 0)
    throw walletError(
      "wallet.seed_permissions",
      `seed file ${path} has mode ${mode.toString(8).padStart(4, "0")}; it must not be accessible to group or others (chmod 600)`,
      { path, mode: mode.toString(8) },
    );
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    throw walletError("wallet.seed_io", `cannot read seed file ${path}`, { path }, err);
  }
  if (bytes.length !== SEED_FILE_BYTES)
    throw walletError(
      "wallet.seed_invalid",
      `seed file ${path} holds ${bytes.length} bytes, expected exactly ${SEED_FILE_BYTES}`,
      { path, length: bytes.length },
    );
  return new Uint8Array(bytes);
}

/**
 * Parses a seed given as hex (e.g. an environment variable): 16 to 64 bytes, as BIP32 allows.
 * @throws GatewayError `wallet.seed_missing` (empty), `wallet.seed_invalid` (not hex or wrong length)
 */
export function seedFromHex(value: string | undefined): Uint8Array {
  const v = value?.trim() ?? "";
  if (v === "") throw walletError("wallet.seed_missing", "the seed value is empty");
  if (!isHex(v)) throw walletError("wallet.seed_invalid", "the seed must be hex (an even number of 0-9a-f)");
  const bytes = Uint8Array.from(Buffer.from(v, "hex"));
  if (bytes.length < 16 || bytes.length > 64)
    throw walletError("wallet.seed_invalid", `the seed must be 16 to 64 bytes, got ${bytes.length}`, {
      length: bytes.length,
    });
  return bytes;
}

/**
 * The seed from the environment value when set, else from the file.
 * @throws GatewayError as {@link seedFromHex} / {@link loadSeedFile}
 */
export async function loadSeed(src: {
  readonly hex?: string | undefined;
  readonly file?: string | undefined;
  readonly create?: boolean;
}): Promise<Uint8Array> {
  if (src.hex !== undefined && src.hex !== "") return seedFromHex(src.hex);
  if (src.file === undefined || src.file === "")
    throw walletError("wallet.seed_missing", "neither a seed value nor a seed file is configured");
  return loadSeedFile(src.file, src.create === undefined ? {} : { create: src.create });
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw walletError("wallet.seed_io", `cannot stat seed file ${path}`, { path }, err);
  }
}

/** Writes 32 random bytes with O_EXCL and mode 0600, fsyncs file and directory. */
async function createSeedFile(path: string): Promise<void> {
  try {
    await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await fs.open(
      path,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
      0o600,
    );
    try {
      await handle.writeFile(randomBytes(SEED_FILE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    const dir = await fs.open(dirname(path), fsConstants.O_RDONLY);
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (err) {
    // another process may have created it first: reading it next settles that
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return;
    throw walletError("wallet.seed_io", `cannot create seed file ${path}`, { path }, err);
  }
}
