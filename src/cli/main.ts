#!/usr/bin/env node
/**
 * `ark-ln-gateway`: the operator's command line. `runCli` does the work and returns the exit
 * code (tests call it in-process); only the bottom of this file touches process.exit.
 * Exit codes: 0 ok, 1 failure (bad configuration, unreachable peer, ...), 2 bad usage.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../gateway/version.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { describeError } from "./describe-error.js";
import { processIo, type CliIo } from "./io.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./usage.js";

const PROGRAM = "ark-ln-gateway";

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `${PROGRAM} ${packageVersion()}: a gateway between Ark (arkd) and Lightning (LND)`,
    "",
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  --help, -h     help (also after a command: ark-ln-gateway swaps list --help)",
    "  --version, -v  print the version",
  ].join("\n");
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.help}`;
}

/** The command named by the first one or two words of argv, and the rest. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const command = COMMANDS.find((c) => c.name === name);
    if (command !== undefined) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

function usageFailure(io: CliIo, err: UsageError): number {
  const command = COMMANDS.find((c) => c.name === err.command);
  io.err(`error: ${err.message}`);
  io.err(command === undefined ? `Usage: ${PROGRAM} <command> [options]` : `Usage: ${command.usage}`);
  io.err(`Run '${PROGRAM} ${command === undefined ? "" : `${command.name} `}--help' for more.`);
  return EXIT_USAGE;
}

/**
 * A bare command group (`liquidity`, `liquidity --help`) or an unknown subcommand of it.
 * @throws UsageError for an unknown subcommand
 */
function groupUsage(io: CliIo, group: string, sub: string | undefined, expected: string): number {
  if (sub !== undefined && sub !== "--help" && sub !== "-h")
    throw new UsageError(`unknown command "${group} ${sub}" (expected ${group} ${expected})`);
  const usage = `Usage: ${PROGRAM} ${group} ...\n\n${COMMANDS.filter((c) => c.name.startsWith(`${group} `))
    .map((c) => `  ${c.usage}`)
    .join("\n")}`;
  // Asked for: stdout, exit 0. A bare group is a usage error: stderr, exit 2.
  if (sub === undefined) {
    io.err(usage);
    return EXIT_USAGE;
  }
  io.out(usage);
  return EXIT_OK;
}

/**
 * Runs one command line.
 * @param argv the arguments after the program name
 * @returns the exit code
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first] = argv;
  if (first === undefined) {
    io.err(mainHelp());
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    io.out(mainHelp());
    return EXIT_OK;
  }
  if (first === "--version" || first === "-v" || first === "version") {
    io.out(packageVersion());
    return EXIT_OK;
  }
  try {
    const found = findCommand(argv);
    if (found === undefined) {
      if (first === "swaps") {
        const sub = argv[1];
        if (sub === undefined || sub === "--help" || sub === "-h") {
          const usage = `Usage: ${PROGRAM} swaps list|show ...\n\n${COMMANDS.filter((c) =>
            c.name.startsWith("swaps "),
          )
            .map((c) => `  ${c.usage}`)
            .join("\n")}`;
          // Asked for: stdout, exit 0. A bare `swaps` is a usage error: stderr, exit 2.
          if (sub === undefined) {
            io.err(usage);
            return EXIT_USAGE;
          }
          io.out(usage);
          return EXIT_OK;
        }
        throw new UsageError(`unknown command "swaps ${sub}" (expected swaps list or swaps show)`);
      }
      if (first === "liquidity") return groupUsage(io, "liquidity", argv[1], "status, board or offboard");
      throw new UsageError(`unknown command "${first}"`);
    }
    const { command, rest } = found;
    const parsed = parseCommandArgs(command.name, rest, command.options, command.maxPositionals ?? 0);
    if (parsed.values.help === true) {
      io.out(commandHelp(command));
      return EXIT_OK;
    }
    return await command.run(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, err);
    io.err(`error: ${describeError(err)}`);
    return EXIT_FAILURE;
  }
}

/** True when this file is the process's entry point (also through the npm bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** grpc-js sets an IP as TLS server name when LND is given by IP; Node's DEP0123 about it is noise here. */
function muteGrpcTlsWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const code =
      rest.find((r) => typeof r === "string" && r.startsWith("DEP")) ??
      (rest[0] as { code?: string } | undefined)?.code;
    if (code === "DEP0123") return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

/**
 * Runs the command line of this process and sets its exit code: the program's entry point, also
 * called by the npm bin's launcher (src/cli/bin.mjs).
 * @param argv the arguments after the program name
 */
export function runAsProgram(argv: readonly string[] = process.argv.slice(2)): void {
  muteGrpcTlsWarning();
  runCli(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${describeError(err)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}

if (isEntryPoint()) runAsProgram();
