/** `ark-ln-gateway swaps show <id>`: one swap with every field and its event log. */
import { findSwap, listSwapEvents } from "../../db/swap-repository.js";
import { DATABASE_FLAGS, settingOptions } from "../args.js";
import { DATABASE_HELP, type Command } from "../command.js";
import { loadDatabaseSettings } from "../config-source.js";
import { withDatabase } from "../database.js";
import { renderSwapDetail, swapDetailJson } from "../swap-format.js";
import { UsageError } from "../usage.js";

const NAME = "swaps show";

export const swapsShowCommand: Command = {
  name: NAME,
  summary: "show one swap and its event log",
  usage: "ark-ln-gateway swaps show <id> [--json]",
  help: `Shows every field of a swap and its append-only event log (oldest first).
Exits 1 when no swap has this id.

Options:
  --json                   {"swap": {...}, "events": [...]}

${DATABASE_HELP}`,
  options: { ...settingOptions([...DATABASE_FLAGS]), json: { type: "boolean" } },
  maxPositionals: 1,
  async run({ values, positionals }, io) {
    const id = positionals[0];
    if (id === undefined || id === "") throw new UsageError("missing the swap id", NAME);
    const settings = loadDatabaseSettings(values, io, NAME);
    const found = await withDatabase(settings, { requireTables: true }, async (database) => {
      const swap = await findSwap(database.db, id);
      return swap === undefined ? undefined : { swap, events: await listSwapEvents(database.db, id) };
    });
    if (found === undefined) {
      io.err(`error: no swap with id "${id}"`);
      return 1;
    }
    io.out(
      values.json === true
        ? swapDetailJson(found.swap, found.events)
        : renderSwapDetail(found.swap, found.events),
    );
    return 0;
  },
};
