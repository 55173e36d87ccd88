/**
 * VTXO renewal by the running gateway (its own OS process, `ark-ln-gateway start`) on the REAL
 * arkd: the renewal scheduler settles a VTXO approaching arkd's expires_at into a new batch by
 * itself, and a gateway killed at each step of that batch (GATEWAY_TEST_CRASH_AFTER=renewal:<step>)
 * and started again loses nothing. Every sat is checked in arkd's indexer (the truth) and in the
 * gateway's own database: old amount − the intent fee arkd charged = new amount. The regtest
 * arkd's GetInfo has empty intent fee programs, so that fee must be 0 (the test checks the
 * programs and the fee the gateway logged).
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { VirtualCoin } from "@arkade-os/sdk";
import { createGrpcArkClient, type ArkServerPort } from "../../../src/ark/client/index.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { ChildGateway } from "../swaps/child-gateway.js";
import { arkAddressScript, arkOf, createArkWallet, fundWithNote, vtxosAt } from "../helpers/ark.js";
import { loadNetwork } from "../helpers/network.js";

let net: NetworkFile;
let ark: ArkServerPort;
const gateways: ChildGateway[] = [];

beforeAll(async () => {
  net = loadNetwork();
  ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
});

afterEach(async () => {
  for (const gw of gateways.splice(0)) await gw.stop();
});

afterAll(() => ark?.close());

/** The fee arkd's GetInfo programs make us expect: none on this regtest arkd. */
async function expectedFeeSats(): Promise<bigint> {
  const p = (await ark.getInfo()).fees?.intentFee;
  const programs = [p?.offchainInput, p?.offchainOutput, p?.onchainInput, p?.onchainOutput];
  if (!programs.every((x) => x === undefined || x === "" || x === "0"))
    throw new Error(`arkd now has intent fee programs ${JSON.stringify(p)}: extend this test`);
  return 0n;
}

/** `sats` paid offchain to the gateway's address from a fresh @arkade-os/sdk wallet. */
async function fundGateway(gw: ChildGateway, sats: number): Promise<{ script: string; coin: VirtualCoin }> {
  const { address } = gw.balance();
  const script = arkAddressScript(address);
  const funder = await createArkWallet(net);
  await fundWithNote(net, funder, sats);
  const arkTxid = await funder.sendBitcoin({ address, amount: sats });
  const coin = await waitFor("the gateway's VTXO", 60_000, async () =>
    (await vtxosAt(net, script)).find((v) => v.txid === arkTxid),
  );
  return { script, coin };
}

interface LogLine {
  readonly msg?: string;
  readonly [k: string]: unknown;
}

function logLines(gw: ChildGateway, msg: string): LogLine[] {
  return gw.log
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.msg === msg);
}

async function walletRows(gw: ChildGateway) {
  const client = new pg.Client({ connectionString: gw.databaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{
      outpoint: string;
      state: string;
      amount_sats: string;
      reserved_for: string | null;
    }>("select outpoint, state, amount_sats::text, reserved_for from wallet_vtxos order by outpoint");
    return rows.map((r) => ({ ...r, amount_sats: BigInt(r.amount_sats) }));
  } finally {
    await client.end();
  }
}

/** JSON.stringify replacer for bigints. */
function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** Unspent VTXOs at `script`, as [outpoint, sats, state]. */
async function unspentAt(script: string): Promise<[string, bigint, string][]> {
  return (await vtxosAt(net, script)).map((v) => [
    `${v.txid}:${v.vout}`,
    BigInt(v.value),
    v.virtualStatus.state,
  ]);
}

describe("VTXO renewal by the running gateway (real arkd)", () => {
  it("renews a VTXO approaching arkd's expires_at by itself: new amount = old amount − fee", async () => {
    const fee = await expectedFeeSats();
    const gw = await ChildGateway.create(net, "renewal");
    gateways.push(gw);
    await gw.start();
    const { script, coin } = await fundGateway(gw, 23_456);
    const old = `${coin.txid}:${coin.vout}`;
    expect(coin.virtualStatus.state).toBe("preconfirmed");
    // regtest: expires_at = batch end + 144 s, renewed 60 s before it by default
    const renewed = await waitFor(
      "the scheduler's renewal",
      240_000,
      async () => {
        const now = await unspentAt(script);
        return now.length === 1 && now[0]?.[0] !== old && now[0]?.[2] === "settled" ? now : undefined;
      },
      2_000,
    );
    expect(renewed).toEqual([[renewed[0]?.[0], 23_456n - fee, "settled"]]);
    const spentOld = (await vtxosAt(net, script, true)).find((v) => `${v.txid}:${v.vout}` === old);
    expect(spentOld?.isSpent).toBe(true);
    const [done] = logLines(gw, "VTXOs renewed");
    expect(done).toMatchObject({
      inputs: 1,
      inputSats: "23456",
      feeSats: fee.toString(),
      amountSats: (23_456n - fee).toString(),
      outpoint: renewed[0]?.[0],
      reasons: { offchain_deadline: 1 },
    });
    await waitFor("the gateway's database", 30_000, async () => {
      const rows = await walletRows(gw);
      const spendable = rows.filter((r) => r.state === "spendable");
      return spendable.length === 1 && spendable[0]?.outpoint === renewed[0]?.[0] ? rows : undefined;
    });
    expect(await walletRows(gw)).toEqual(
      [
        { outpoint: old, state: "spent", amount_sats: 23_456n, reserved_for: null },
        { outpoint: renewed[0]?.[0], state: "spendable", amount_sats: 23_456n - fee, reserved_for: null },
      ].sort((a, b) => (a.outpoint! < b.outpoint! ? -1 : 1)),
    );
    expect(gw.balance().sats).toBe(23_456n - fee);
  });

  // Killed (SIGKILL) at each step of the renewal batch, then started again without the hook.
  const STEPS = ["signed", "forfeits_sent", "joined"] as const;
  it.each(STEPS)(
    "a gateway killed at renewal:%s loses nothing: the renewal completes after the restart",
    async (step) => {
      const fee = await expectedFeeSats();
      const sats = 31_000 + STEPS.indexOf(step) * 1_000;
      const gw = await ChildGateway.create(net, `renewal_crash_${step}`);
      gateways.push(gw);
      // A wide margin makes the fresh VTXO due at once (it lives 144 s on this arkd). The restart
      // uses a narrow one, so the VTXO a renewal makes is not itself due again while we look
      // (130 s would renew it every 14 s); a VTXO the crashed batch left unrenewed is still due.
      await gw.start(`renewal:${step}`, { GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS: "130" });
      const { script, coin } = await fundGateway(gw, sats);
      const old = `${coin.txid}:${coin.vout}`;
      const exit = await gw.exited(180_000);
      expect(exit.signal).toBe("SIGKILL");
      expect(gw.log).toContain(`crash point renewal:${step} reached`);
      await gw.start(undefined, { GATEWAY_RENEWAL_OFFCHAIN_MARGIN_SECONDS: "11" });
      const after = await waitFor(
        "one settled VTXO of the whole amount",
        240_000,
        async () => {
          const now = await unspentAt(script);
          return now.length === 1 && now[0]?.[0] !== old && now[0]?.[2] === "settled" ? now : undefined;
        },
        2_000,
      );
      const renewed = after[0]?.[0] as string;
      expect(after).toEqual([[renewed, BigInt(sats) - fee, "settled"]]);
      const expected = [
        { outpoint: old, state: "spent", amount_sats: BigInt(sats), reserved_for: null },
        { outpoint: renewed, state: "spendable", amount_sats: BigInt(sats) - fee, reserved_for: null },
      ].sort((a, b) => (a.outpoint < b.outpoint ? -1 : 1));
      // the restarted wallet learns it from recovery + rescan (at start, then every 60 s)
      await waitFor(
        "the gateway's database to agree",
        150_000,
        async () => JSON.stringify(await walletRows(gw), big) === JSON.stringify(expected, big),
        2_000,
      ).catch(() => undefined);
      expect(await walletRows(gw)).toEqual(expected);
      expect(gw.balance().sats).toBe(BigInt(sats) - fee);
    },
  );
});
