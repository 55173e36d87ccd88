/** Every command, in the order `--help` lists them. */
import type { Command } from "../command.js";
import { balanceCommand } from "./balance.js";
import { liquidityBoardCommand, liquidityOffboardCommand, liquidityStatusCommand } from "./liquidity.js";
import { migrateCommand } from "./migrate.js";
import { sandboxCommand } from "./sandbox.js";
import { startCommand } from "./start.js";
import { swapsListCommand } from "./swaps-list.js";
import { swapsShowCommand } from "./swaps-show.js";

export const COMMANDS: readonly Command[] = [
  startCommand,
  migrateCommand,
  swapsListCommand,
  swapsShowCommand,
  balanceCommand,
  liquidityStatusCommand,
  liquidityBoardCommand,
  liquidityOffboardCommand,
  sandboxCommand,
];
