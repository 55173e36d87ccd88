/** `ark-ln-gateway migrate`: brings the database schema up to date and says what it ran. */
import { migrateToLatest } from "../../db/migrator.js";
import { MIGRATIONS } from "../../../migrations/index.js";
import { DATABASE_FLAGS, settingOptions } from "../args.js";
import { DATABASE_HELP, type Command } from "../command.js";
import { loadDatabaseSettings } from "../config-source.js";
import { withDatabase } from "../database.js";
import { renderJson } from "../format.js";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply pending database migrations",
  usage: "ark-ln-gateway migrate [--database-url <url> | --data-dir <dir>] [--json]",
  help: `Applies every pending migration (start does it too) and lists what it applied.

Options:
  --json                   {"applied": [...], "total": N}

${DATABASE_HELP}`,
  options: { ...settingOptions([...DATABASE_FLAGS]), json: { type: "boolean" } },
  async run({ values }, io) {
    const settings = loadDatabaseSettings(values, io, "migrate");
    const report = await withDatabase(settings, { requireTables: false }, (database) =>
      migrateToLatest(database.db),
    );
    const total = Object.keys(MIGRATIONS).length;
    if (values.json === true) {
      io.out(renderJson({ applied: report.executed, total }));
    } else if (report.executed.length === 0) {
      io.out(`database is up to date (${total} migrations)`);
    } else {
      io.out(`applied ${report.executed.length} migration${report.executed.length === 1 ? "" : "s"}:`);
      for (const name of report.executed) io.out(`  ${name}`);
      io.out(`database is up to date (${total} migrations)`);
    }
    return 0;
  },
};
