import { describe, expect, it } from "vitest";
import { RenewalScheduler, type RenewalCoin, type RenewalWallet } from "../../../../src/ark/renewal/index.js";
import type { RenewalLogger } from "../../../../src/ark/renewal/index.js";

const NOW_MS = 1_800_000_000_000;
const NOW = BigInt(NOW_MS / 1000);

interface Line {
  readonly level: string;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

function recorder(): RenewalLogger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    void lines.push({ level, msg, fields });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function coin(n: number, over: Partial<RenewalCoin> = {}): RenewalCoin {
  return {
    outpoint: `${n.toString(16).padStart(64, "0")}:0`,
    amountSats: BigInt(n) * 1_000n,
    sweepDeadline: 500n,
    offchainUntil: NOW + 3_600n,
    swept: false,
    ...over,
  };
}

/** A wallet whose renew() settles the named coins into one new coin (minus a fixed fee). */
class FakeWallet implements RenewalWallet {
  coins = new Map<string, RenewalCoin>();
  renewed: string[][] = [];
  fail: { code: string } | undefined;
  feeSats = 7n;
  private n = 100;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
  }

  async renewalCandidates(): Promise<RenewalCoin[]> {
    return [...this.coins.values()];
  }

  async renew(outpoints: readonly string[]) {
    this.renewed.push([...outpoints]);
    await this.gate;
    if (this.fail !== undefined) throw Object.assign(new Error(this.fail.code), this.fail);
    let total = 0n;
    for (const o of outpoints) {
      const c = this.coins.get(o);
      if (c === undefined) throw Object.assign(new Error("gone"), { code: "wallet.reservation_conflict" });
      total += c.amountSats;
      this.coins.delete(o);
    }
    const fresh = coin(this.n++, { amountSats: total - this.feeSats, offchainUntil: NOW + 10_000n });
    this.coins.set(fresh.outpoint, fresh);
    return {
      commitmentTxid: "aa".repeat(32),
      amountSats: fresh.amountSats,
      feeSats: this.feeSats,
      outpoint: fresh.outpoint,
    };
  }
}

function scheduler(wallet: FakeWallet, log = recorder(), maxInputs = 8, tip = 400n) {
  return new RenewalScheduler({
    wallet,
    tipHeight: async () => tip,
    log,
    now: () => NOW_MS,
    options: {
      margins: { offchainSeconds: 60n, sweepBlocks: 10n, sweepSeconds: 3_600n },
      intervalMs: 60_000,
      maxInputs,
      stopGraceMs: 50,
    },
  });
}

describe("RenewalScheduler", () => {
  it("does nothing while no coin is due", async () => {
    const w = new FakeWallet();
    w.coins.set(coin(1).outpoint, coin(1));
    expect(await scheduler(w).tick()).toEqual({ kind: "idle", unknown: 0 });
    expect(w.renewed).toEqual([]);
  });

  it("renews exactly the due coins (offchain margin, expired, swept, block sweep deadline); the sum minus the fee remains", async () => {
    const w = new FakeWallet();
    const due = [
      coin(1, { offchainUntil: NOW + 59n }),
      coin(2, { offchainUntil: NOW - 5n }),
      coin(3, { swept: true }),
      coin(4, { sweepDeadline: 405n }),
    ];
    for (const c of [...due, coin(5)]) w.coins.set(c.outpoint, c);
    const log = recorder();
    const out = await scheduler(w, log).tick();
    expect(out).toMatchObject({ kind: "renewed", batches: 1, inputs: 4 });
    expect([...(w.renewed[0] ?? [])].sort()).toEqual(due.map((c) => c.outpoint).sort());
    const total = [...w.coins.values()].reduce((s, c) => s + c.amountSats, 0n);
    expect(total).toBe(1_000n + 2_000n + 3_000n + 4_000n + 5_000n - 7n);
    const done = log.lines.find((l) => l.msg === "VTXOs renewed");
    expect(done?.fields).toMatchObject({ inputs: 4, inputSats: "10000", amountSats: "9993", feeSats: "7" });
    expect(done?.fields.reasons).toEqual({
      swept: 1,
      offchain_expired: 1,
      offchain_deadline: 1,
      sweep_deadline: 1,
    });
  });

  it("runs further batches in the same tick when more coins are due than one batch takes", async () => {
    const w = new FakeWallet();
    for (let i = 1; i <= 5; i++) w.coins.set(coin(i).outpoint, coin(i, { offchainUntil: NOW + 10n }));
    const out = await scheduler(w, recorder(), 2).tick();
    expect(out).toMatchObject({ kind: "renewed", batches: 3, inputs: 5 });
    expect(w.renewed.map((r) => r.length)).toEqual([2, 2, 1]);
  });

  it("a failed renewal is logged and left for the next tick, which retries the same coins", async () => {
    const w = new FakeWallet();
    const c = coin(1, { offchainUntil: NOW + 10n });
    w.coins.set(c.outpoint, c);
    w.fail = { code: "batch.failed" };
    const log = recorder();
    const s = scheduler(w, log);
    expect(await s.tick()).toEqual({ kind: "failed", code: "batch.failed", renewedBefore: 0 });
    expect(log.lines.some((l) => l.level === "warn" && l.msg.startsWith("renewal failed"))).toBe(true);
    w.fail = undefined;
    expect(await s.tick()).toMatchObject({ kind: "renewed", inputs: 1 });
    expect(w.renewed).toEqual([[c.outpoint], [c.outpoint]]);
  });

  it("one tick at a time: a second tick while a batch runs joins it instead of renewing twice", async () => {
    const w = new FakeWallet();
    const c = coin(1, { offchainUntil: NOW + 10n });
    w.coins.set(c.outpoint, c);
    w.hold();
    const s = scheduler(w);
    const a = s.tick();
    const b = s.tick();
    await new Promise((r) => setTimeout(r, 5));
    w.release();
    expect(await a).toBe(await b);
    expect(w.renewed).toEqual([[c.outpoint]]);
  });

  it("stop() waits at most its grace for a batch in progress", async () => {
    const w = new FakeWallet();
    w.coins.set(coin(1).outpoint, coin(1, { offchainUntil: NOW + 10n }));
    w.hold();
    const log = recorder();
    const s = scheduler(w, log);
    s.start();
    await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    expect(log.lines.some((l) => l.msg.startsWith("stopping with a renewal batch in progress"))).toBe(true);
    w.release();
  });

  it("a chain tip that cannot be read skips block deadlines but still renews by time", async () => {
    const w = new FakeWallet();
    w.coins.set(coin(1).outpoint, coin(1, { sweepDeadline: 401n }));
    w.coins.set(coin(2).outpoint, coin(2, { offchainUntil: NOW + 1n }));
    const s = new RenewalScheduler({
      wallet: w,
      tipHeight: async () => Promise.reject(new Error("LND down")),
      log: recorder(),
      now: () => NOW_MS,
      options: {
        margins: { offchainSeconds: 60n, sweepBlocks: 10n, sweepSeconds: 3_600n },
        intervalMs: 60_000,
        maxInputs: 8,
        stopGraceMs: 50,
      },
    });
    await s.tick();
    expect(w.renewed).toEqual([[coin(2).outpoint]]);
  });
});
