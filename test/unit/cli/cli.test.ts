import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.js";
import { packageVersion } from "../../../src/gateway/version.js";
import { memoryIo } from "./helpers.js";

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe("ark-ln-gateway: help, version, usage errors", () => {
  it("--version prints the package version", async () => {
    const io = memoryIo();
    expect(await runCli(["--version"], io)).toBe(0);
    expect(io.stdout).toEqual([packageVersion()]);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("--help lists every command; no arguments is a usage error with the same text on stderr", async () => {
    const io = memoryIo();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const name of ["start", "migrate", "swaps list", "swaps show", "balance", "sandbox"])
      expect(io.stdout.join("\n")).toContain(`  ${name}`);
    const bare = memoryIo();
    expect(await runCli([], bare)).toBe(2);
    expect(bare.stderr.join("\n")).toContain("Usage: ark-ln-gateway <command>");
  });

  it("swaps --help prints both subcommands on stdout; a bare swaps is a usage error on stderr", async () => {
    const help = memoryIo();
    expect(await runCli(["swaps", "--help"], help)).toBe(0);
    expect(help.stdout.join("\n")).toContain("ark-ln-gateway swaps show <id>");
    expect(help.stderr).toEqual([]);
    const bare = memoryIo();
    expect(await runCli(["swaps"], bare)).toBe(2);
    expect(bare.stdout).toEqual([]);
    expect(bare.stderr.join("\n")).toContain("ark-ln-gateway swaps list");
  });

  it.each([["start"], ["migrate"], ["swaps", "list"], ["swaps", "show"], ["balance"], ["sandbox"]])(
    "%s --help prints the command's usage and exits 0",
    async (...words) => {
      const io = memoryIo();
      expect(await runCli([...words, "--help"], io)).toBe(0);
      expect(io.stdout.join("\n")).toContain(`Usage: ark-ln-gateway ${words.join(" ")}`);
    },
  );

  it.each([
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["swaps", "delete"], 'unknown command "swaps delete"'],
    [["swaps", "list", "--bogus"], "Unknown option '--bogus'"],
    [["swaps", "list", "--type", "sideways"], "--type must be submarine or reverse"],
    [["swaps", "list", "--limit", "0"], "--limit must be 1..1000"],
    [["swaps", "list", "extra"], 'unexpected argument "extra"'],
    [["swaps", "show"], "missing the swap id"],
    [["swaps", "show", "a", "b"], 'unexpected argument "b"'],
    [["start", "--listen", "nowhere"], "--listen must be host:port or port"],
    [["start", "--arkd-url"], "argument missing"],
    [["sandbox", "--amount=-5"], "--amount must be a positive integer"],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(2);
    const err = io.stderr.join("\n");
    expect(err).toContain(message);
    expect(err).toMatch(/Usage: ark-ln-gateway/);
    noStack(err);
  });
});

describe("ark-ln-gateway: bad configuration (exit 1)", () => {
  it("start lists every problem at once, without a stack trace", async () => {
    const io = memoryIo({ GATEWAY_SUBMARINE_FEE_PERCENT: "50" });
    const code = await runCli(["start", "--network", "mainnet", "--arkd-url", "ftp://x"], io);
    expect(code).toBe(1);
    const err = io.stderr.join("\n");
    expect(err).toContain("invalid configuration (6 problems)");
    for (const part of [
      "GATEWAY_NETWORK: must be one of",
      "GATEWAY_ARKD_URL: must be http(s)",
      "GATEWAY_LND_SOCKET: required",
      "GATEWAY_LND_CERT_PATH or GATEWAY_LND_CERT_BASE64: required",
      "GATEWAY_LND_MACAROON_PATH or GATEWAY_LND_MACAROON_BASE64: required",
      "GATEWAY_SUBMARINE_FEE_PERCENT: must be at most 10 %",
    ])
      expect(err).toContain(part);
    noStack(err);
  });

  it("a cert or macaroon path naming no file is a configuration problem, before anything starts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-cred-"));
    const cert = join(dir, "tls.cert");
    writeFileSync(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const io = memoryIo();
    const argv = ["--network", "regtest", "--arkd-url", "http://127.0.0.1:1", "--lnd-socket", "127.0.0.1:1"];
    const code = await runCli(
      ["start", ...argv, "--lnd-cert", cert, "--lnd-macaroon", join(dir, "nope")],
      io,
    );
    expect(code).toBe(1);
    const err = io.stderr.join("\n");
    expect(err).toBe(
      `error: invalid configuration (1 problem):\n  - GATEWAY_LND_MACAROON_PATH (--lnd-macaroon): no such file: ${join(dir, "nope")}`,
    );
    const both = memoryIo();
    expect(await runCli(["balance", ...argv, "--lnd-cert", dir, "--lnd-macaroon", "/x"], both)).toBe(1);
    expect(both.stderr.join("\n")).toContain("invalid configuration (2 problems)");
    expect(both.stderr.join("\n")).toContain(`GATEWAY_LND_CERT_PATH (--lnd-cert): not a file: ${dir}`);
    expect(both.stderr.join("\n")).toContain("GATEWAY_LND_MACAROON_PATH (--lnd-macaroon): no such file: /x");
    rmSync(dir, { recursive: true, force: true });
  });

  it("an unreadable --config file is a one-line failure", async () => {
    const io = memoryIo();
    expect(await runCli(["balance", "--config", "/nope.json"], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^error: cannot read config file \/nope\.json/);
  });

  it("flags win over the environment, which wins over the file", async () => {
    const file = JSON.stringify({ network: "signet", databse: { url: "x" } });
    const io = memoryIo({ GATEWAY_NETWORK: "testnet" }, { "/c.json": file });
    expect(await runCli(["start", "--config", "/c.json", "--network", "bogus"], io)).toBe(1);
    const err = io.stderr.join("\n");
    expect(err).toContain(
      'GATEWAY_NETWORK: must be one of bitcoin, testnet, signet, mutinynet, regtest, got "bogus"',
    );
    expect(err).toContain('config file /c.json: unknown setting "databse.url"');
  });

  it("database commands only need the database settings and refuse a bad URL", async () => {
    const io = memoryIo({}, { "/c.json": JSON.stringify({ database: { url: "mysql://x" } }) });
    expect(await runCli(["swaps", "list", "--config", "/c.json"], io)).toBe(1);
    expect(io.stderr.join("\n")).toContain(
      'config file /c.json "database.url": must be a postgres:// or postgresql:// URL',
    );
  });
});
