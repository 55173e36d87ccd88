import { describe, expect, it } from "vitest";
import { GATEWAY_CONFIG_KEYS } from "../../../polar/config-keys.js";
import { loadConfig } from "../../../src/config/load-config.js";
import { redactConfig } from "../../../src/config/redact.js";
import { isGatewayError, type GatewayError } from "../../../src/domain/errors.js";
import { planReverseTimeouts, planSubmarineTimeouts } from "../../../src/domain/timeout-plans.js";
import { assertRefundBeforeBatchExpiry } from "../../../src/domain/timeout-chain.js";

const BASE_ENV = {
  HOME: "/home/op",
  GATEWAY_NETWORK: "regtest",
  GATEWAY_ARKD_URL: "http://127.0.0.1:27070",
  GATEWAY_LND_SOCKET: "127.0.0.1:20009",
  GATEWAY_LND_CERT_PATH: "/lnd/tls.cert",
  GATEWAY_LND_MACAROON_PATH: "/lnd/admin.macaroon",
};

function load(env: Record<string, string>, file?: unknown, argv: string[] = []) {
  return loadConfig({
    env,
    argv: file === undefined ? argv : ["--config", "/etc/gw.json", ...argv],
    readFile: () => JSON.stringify(file),
  });
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err, "config.invalid")) return (err as GatewayError).details?.problems as string[];
    throw err;
  }
  throw new Error("expected config.invalid");
}

describe("loadConfig", () => {
  it("loads a minimal regtest config from the environment with defaults", () => {
    const config = load(BASE_ENV);
    expect(config).toMatchObject({
      network: "regtest",
      dataDir: "/home/op/.ark-ln-gateway",
      logLevel: "info",
      listen: { host: "127.0.0.1", port: 9001 },
      arkd: { url: "http://127.0.0.1:27070" },
      lnd: { socket: "127.0.0.1:20009", cert: { kind: "path", path: "/lnd/tls.cert" } },
      database: { kind: "embedded", dataDir: "/home/op/.ark-ln-gateway/postgres" },
      seed: { kind: "file", path: "/home/op/.ark-ln-gateway/seed" },
      fees: {
        submarine: { ratePpm: 1_000n, baseFeeSats: 0n },
        reverse: { ratePpm: 2_500n, baseFeeSats: 0n },
      },
      routingFeeBudget: { ratePpm: 3_500n, minSats: 121n },
      funding: { overpayToleranceMinSats: 10_000n, overpayTolerancePpm: 20_000n, maxOverpayFactor: 2n },
      timeouts: { mode: "blocks", lnCltvMarginBlocks: 20n },
    });
  });

  it("defaults regtest timeouts to a chain that fits arkd's 144-block VTXO expiry and LND's 18-block delta", () => {
    const { timeouts } = load(BASE_ENV);
    expect(timeouts).toMatchObject({ mode: "blocks", submarineRefundDelta: 72n, reverseRefundDelta: 36n });
    const tip = { height: 1_000n, timeSeconds: 1_700_000_000n };
    const sub = planSubmarineTimeouts(timeouts, tip, 10n, 18n);
    expect(sub.refundLocktime).toBe(1_072n);
    // LN CLTV limit = refund − 20; a final CLTV of 18 plus one 18-block hop fits in it
    expect(sub.cltvLimitBlocks).toBe(52n);
    expect(sub.cltvLimitBlocks).toBeGreaterThan(18n + 18n);
    const rev = planReverseTimeouts(timeouts, tip, 10n, 6n);
    expect(rev.refundLocktime).toBe(1_036n);
    // hold-invoice HTLCs outlive the VHTLC refund + margin, and LND accepts the delta (≥ 18)
    expect(rev.holdInvoiceCltvDelta).toBeGreaterThan(36n + timeouts.holdInvoiceCltvMarginBlocks);
    expect(rev.holdInvoiceCltvDelta).toBeGreaterThanOrEqual(18n);
    // both refunds come before arkd's 144-block batch expiry minus the margin
    expect(() =>
      assertRefundBeforeBatchExpiry(sub.refundLocktime, tip.height + 144n, timeouts),
    ).not.toThrow();
    expect(() =>
      assertRefundBeforeBatchExpiry(rev.refundLocktime, tip.height + 144n, timeouts),
    ).not.toThrow();
  });

  it("scales the seconds-mode block-time assumptions to mutinynet's ~30-second blocks", () => {
    const mutiny = load({ ...BASE_ENV, GATEWAY_NETWORK: "mutinynet" }).timeouts;
    expect(mutiny).toMatchObject({
      mode: "seconds",
      secondsPerBlock: 30n,
      fastBlockSeconds: 15n,
      slowBlockSeconds: 60n,
      reverseRefundDelta: 10_800n,
    });
    const tip = { height: 1_000n, timeSeconds: 1_700_000_000n };
    const rev = planReverseTimeouts(mutiny, tip, 86_528n, 6n); // server exit delay in seconds
    // The hold invoice's HTLC deadline, even at twice mutinynet's block rate, is after the refund.
    expect((rev.holdInvoiceCltvDelta - 6n) * 15n).toBeGreaterThan(mutiny.reverseRefundDelta);
    expect(rev.holdInvoiceCltvDelta).toBeLessThanOrEqual(mutiny.maxHoldInvoiceCltvDeltaBlocks);
    // Mainnet keeps the 10-minute assumptions.
    const main = load({ ...BASE_ENV, GATEWAY_NETWORK: "bitcoin" }).timeouts;
    expect(main).toMatchObject({
      secondsPerBlock: 600n,
      fastBlockSeconds: 300n,
      reverseRefundDelta: 43_200n,
    });
  });

  it("returns a deeply frozen object", () => {
    const config = load(BASE_ENV);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.fees.submarine)).toBe(true);
    expect(Object.isFrozen(config.lnd.cert)).toBe(true);
    expect(() => {
      (config.limits.reverse as { minSats: bigint }).minSats = 1n;
    }).toThrow(TypeError);
  });

  it("reads a JSON file and lets the environment override it", () => {
    const file = {
      network: "regtest",
      arkd: { url: "http://127.0.0.1:7070" },
      lnd: { socket: "127.0.0.1:10001", certBase64: "AAAA", macaroonBase64: "AQID" },
      database: { url: "postgres://gw:secret@db:5432/gw" },
      fees: { submarine: { percent: 0.35, baseSats: 10 } },
      limits: { reverse: { minSats: "2000", maxSats: 3_000_000 } },
      timeouts: { submarineRefundDelta: 200 },
    };
    const config = load(
      { HOME: "/h", GATEWAY_ARKD_URL: "http://arkd:7070", GATEWAY_CONFIG_FILE: "/ignored" },
      file,
    );
    expect(config.arkd.url).toBe("http://arkd:7070");
    expect(config.lnd.cert).toEqual({ kind: "base64", base64: "AAAA" });
    expect(config.database).toEqual({ kind: "external", url: "postgres://gw:secret@db:5432/gw" });
    expect(config.fees.submarine).toEqual({ ratePpm: 3_500n, baseFeeSats: 10n });
    expect(config.limits.reverse).toEqual({ minSats: 2_000n, maxSats: 3_000_000n });
    expect(config.timeouts.submarineRefundDelta).toBe(200n);
  });

  it("finds the file through --config=, then GATEWAY_CONFIG_FILE", () => {
    const seen: string[] = [];
    const readFile = (p: string) => {
      seen.push(p);
      return JSON.stringify({});
    };
    loadConfig({
      env: { ...BASE_ENV, GATEWAY_CONFIG_FILE: "/b.json" },
      argv: ["--config=/a.json"],
      readFile,
    });
    loadConfig({ env: { ...BASE_ENV, GATEWAY_CONFIG_FILE: "/b.json" }, argv: [], readFile });
    expect(seen).toEqual(["/a.json", "/b.json"]);
  });

  it("reports an unreadable or non-object file", () => {
    const bad = (text: string) =>
      loadConfig({ env: BASE_ENV, argv: ["--config", "/x.json"], readFile: () => text });
    expect(() => bad("{nope")).toThrow(expect.objectContaining({ code: "config.file_unreadable" }));
    expect(() => bad("[1]")).toThrow(expect.objectContaining({ code: "config.file_unreadable" }));
  });

  it("reports every problem at once in one error", () => {
    const env = {
      GATEWAY_NETWORK: "mainnet",
      GATEWAY_ARKD_URL: "ftp://x",
      GATEWAY_LND_CERT_PATH: "/a",
      GATEWAY_LND_CERT_BASE64: "AAAA",
      GATEWAY_LISTEN_PORT: "70000",
      GATEWAY_SUBMARINE_FEE_PERCENT: "12",
      GATEWAY_REVERSE_MIN_SATS: "1.5",
      GATEWAY_DATABASE_URL: "mysql://db",
      GATEWAY_LOG_LEVEL: "loud",
    };
    const problems = problemsOf(() => load(env, { lnd: { sockt: "typo" } }));
    const expected = [
      /GATEWAY_NETWORK: must be one of/,
      /GATEWAY_ARKD_URL: must be http\(s\)/,
      /GATEWAY_LND_SOCKET: required/,
      /CERT_PATH and GATEWAY_LND_CERT_BASE64: give one, not both/,
      /GATEWAY_LND_MACAROON_PATH or GATEWAY_LND_MACAROON_BASE64: required/,
      /GATEWAY_LISTEN_PORT: must be in \[0, 65535\]/,
      /GATEWAY_SUBMARINE_FEE_PERCENT: must be at most 10 %/,
      /GATEWAY_REVERSE_MIN_SATS: must be an integer/,
      /GATEWAY_DATABASE_URL: must be a postgres/,
      /GATEWAY_LOG_LEVEL: must be one of/,
      /unknown setting "lnd.sockt"/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((p) => pattern.test(p)),
        String(pattern),
      ).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it("puts the whole list in the error message too", () => {
    try {
      load({ HOME: "/h" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/invalid configuration \(5 problems\)/);
      expect((err as Error).message).toMatch(/GATEWAY_NETWORK: required/);
    }
  });

  it("reports cross-field problems together", () => {
    const problems = problemsOf(() =>
      load({
        ...BASE_ENV,
        GATEWAY_SUBMARINE_MIN_SATS: "5000",
        GATEWAY_SUBMARINE_MAX_SATS: "5000",
        GATEWAY_REVERSE_MIN_SATS: "100",
        GATEWAY_REVERSE_BASE_FEE_SATS: "100",
        GATEWAY_UNILATERAL_CLAIM_DELAY: "50",
        GATEWAY_SUBMARINE_REFUND_DELTA: "15",
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/limits.submarine: minSats \(5000\) must be below maxSats/),
      expect.stringMatching(/fees.reverse: .* leaves nothing/),
      expect.stringMatching(/unilateralClaimDelay must be shorter/),
      expect.stringMatching(/submarineRefundDelta leaves no CLTV budget/),
    ]);
  });

  it("checks the network against arkd's URL and the locktime mode", () => {
    const mainnet = {
      ...BASE_ENV,
      GATEWAY_NETWORK: "bitcoin",
      GATEWAY_ARKD_URL: "http://arkd.example.com:7070",
      GATEWAY_LOCKTIME_MODE: "blocks",
    };
    const problems = problemsOf(() => load(mainnet));
    expect(problems.some((p) => /plaintext http to a remote arkd on mainnet/.test(p))).toBe(true);
    expect(problems.some((p) => /block-typed timelocks are only accepted .* regtest/.test(p))).toBe(true);
    const ok = load({ ...mainnet, GATEWAY_ARKD_URL: "https://arkd.example.com", GATEWAY_LOCKTIME_MODE: "" });
    expect(ok.timeouts).toMatchObject({ mode: "seconds", submarineRefundDelta: 172_800n });
    expect(problemsOf(() => load({ ...BASE_ENV, GATEWAY_ARKD_URL: "https://arkade.computer" }))).toHaveLength(
      1,
    );
  });

  it("takes the seed from a file or the environment, never both, and redacts secrets for logs", () => {
    expect(load({ ...BASE_ENV, GATEWAY_SEED_FILE: "/s" }).seed).toEqual({ kind: "file", path: "/s" });
    const config = load({
      ...BASE_ENV,
      GATEWAY_SEED: "abandon abandon",
      GATEWAY_LND_MACAROON_PATH: "",
      GATEWAY_LND_MACAROON_BASE64: "AgEDbG5k",
      GATEWAY_DATABASE_URL: "postgres://gw:hunter2@db/gw",
    });
    expect(config.seed).toEqual({ kind: "env", value: "abandon abandon" });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of ["abandon", "AgEDbG5k", "hunter2"]) expect(text).not.toContain(secret);
    expect(text).toContain("postgres://gw:[redacted]@db/gw");
    expect(problemsOf(() => load({ ...BASE_ENV, GATEWAY_SEED: "x", GATEWAY_SEED_FILE: "/s" }))).toHaveLength(
      1,
    );
  });

  it("refuses floats where integers are expected, even from JSON", () => {
    const problems = problemsOf(() =>
      load(BASE_ENV, { limits: { submarine: { maxSats: 1e20 } }, listen: { port: 1.5 } }),
    );
    expect(problems).toHaveLength(2);
  });

  it("uses the env names polar/ writes", () => {
    const fromEnv = load(BASE_ENV);
    expect(fromEnv.lnd.socket).toBe(BASE_ENV[GATEWAY_CONFIG_KEYS.lndSocket]);
    expect(load({ ...BASE_ENV, [GATEWAY_CONFIG_KEYS.databaseUrl]: "postgres://x@y/z" }).database).toEqual({
      kind: "external",
      url: "postgres://x@y/z",
    });
    // Every key is read: a malformed value is reported under its name, a path is taken as is.
    for (const key of Object.values(GATEWAY_CONFIG_KEYS)) {
      const env: Record<string, string> = { ...BASE_ENV, [key]: "%%nonsense%%" };
      if (key.endsWith("_PATH")) expect(JSON.stringify(load(env).lnd), key).toContain("%%nonsense%%");
      else expect(problemsOf(() => load(env)).join(), key).toContain(key);
    }
  });
});
