/** `ark-ln-gateway swaps list`: the newest swaps, as a table or JSON. */
import { listSwaps } from "../../db/swap-repository.js";
import type { SwapType } from "../../domain/swap-types.js";
import { DATABASE_FLAGS, settingOptions } from "../args.js";
import { DATABASE_HELP, type Command } from "../command.js";
import { loadDatabaseSettings } from "../config-source.js";
import { withDatabase } from "../database.js";
import { renderSwapList, swapListJson } from "../swap-format.js";
import { UsageError } from "../usage.js";

const NAME = "swaps list";

function typeOf(value: unknown): SwapType | undefined {
  if (value === undefined) return undefined;
  if (value === "submarine" || value === "reverse") return value;
  throw new UsageError(`--type must be submarine or reverse, got "${String(value)}"`, NAME);
}

function limitOf(value: unknown): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`--limit must be 1..1000, got "${String(value)}"`, NAME);
  return n;
}

export const swapsListCommand: Command = {
  name: NAME,
  summary: "list swaps, newest first",
  usage: "ark-ln-gateway swaps list [--type submarine|reverse] [--open] [--limit N] [--json]",
  help: `Lists swaps, newest first: id, type, status, amount, fee, creation time (UTC).

Options:
  --type <type>            submarine or reverse
  --open                   only swaps the engine still works on (not in a final status)
  --limit <n>              at most n swaps (1..1000, default 50)
  --json                   {"swaps": [...]} with every field (amounts in sats)

${DATABASE_HELP}`,
  options: {
    ...settingOptions([...DATABASE_FLAGS]),
    type: { type: "string" },
    open: { type: "boolean" },
    limit: { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values }, io) {
    const type = typeOf(values.type);
    const limit = limitOf(values.limit);
    const settings = loadDatabaseSettings(values, io, NAME);
    const swaps = await withDatabase(settings, { requireTables: true }, (database) =>
      listSwaps(database.db, {
        ...(type === undefined ? {} : { type }),
        openOnly: values.open === true,
        limit,
      }),
    );
    io.out(values.json === true ? swapListJson(swaps) : renderSwapList(swaps));
    return 0;
  },
};
