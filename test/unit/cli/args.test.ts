import { describe, expect, it, vi } from "vitest";
import { envWithFlags, splitListen } from "../../../src/cli/args.js";
import { UsageError } from "../../../src/cli/usage.js";
import { runUntilSignal } from "../../../src/gateway/signals.js";

describe("setting flags", () => {
  it.each([
    ["127.0.0.1:9001", { host: "127.0.0.1", port: "9001" }],
    ["0.0.0.0:80", { host: "0.0.0.0", port: "80" }],
    [":9002", { port: "9002" }],
    ["9003", { port: "9003" }],
    ["[::1]:9004", { host: "::1", port: "9004" }],
  ])("--listen %s", (value, expected) => {
    expect(splitListen(value, "start")).toEqual(expected);
  });

  it("refuses a malformed --listen", () => {
    expect(() => splitListen("a:b:c", "start")).toThrow(UsageError);
  });

  it("maps flags onto GATEWAY_* variables, over the environment", () => {
    const env = envWithFlags(
      { GATEWAY_NETWORK: "signet", OTHER: "x" },
      { network: "regtest", "lnd-cert": "/c", "lnd-macaroon": "/m", "seed-file": "/s", listen: "0.0.0.0:1" },
      "start",
    );
    expect(env).toMatchObject({
      GATEWAY_NETWORK: "regtest",
      GATEWAY_LND_CERT_PATH: "/c",
      GATEWAY_LND_MACAROON_PATH: "/m",
      GATEWAY_SEED_FILE: "/s",
      GATEWAY_LISTEN_HOST: "0.0.0.0",
      GATEWAY_LISTEN_PORT: "1",
      OTHER: "x",
    });
  });
});

describe("runUntilSignal", () => {
  function fakeProcess() {
    const handlers = new Map<string, ((s: NodeJS.Signals) => void)[]>();
    const exit = vi.fn();
    return {
      exit,
      once: (s: string, h: (s: NodeJS.Signals) => void) => handlers.set(s, [...(handlers.get(s) ?? []), h]),
      removeListener: (s: string, h: unknown) =>
        handlers.set(
          s,
          (handlers.get(s) ?? []).filter((x) => x !== h),
        ),
      fire(s: NodeJS.Signals) {
        const hs = handlers.get(s) ?? [];
        handlers.set(s, []);
        for (const h of hs) h(s);
      },
    };
  }

  it("stops gracefully on the first signal and forces the exit on the second", async () => {
    const proc = fakeProcess();
    let finish: () => void = () => undefined;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const lines: string[] = [];
    runUntilSignal({ stop }, { process: proc as never, say: (l) => lines.push(l) });
    proc.fire("SIGTERM");
    expect(stop).toHaveBeenCalledTimes(1);
    expect(proc.exit).not.toHaveBeenCalled();
    proc.fire("SIGTERM");
    expect(proc.exit).toHaveBeenCalledWith(130);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(proc.exit).toHaveBeenLastCalledWith(0);
    expect(lines[0]).toContain("SIGTERM: stopping");
  });
});
