import { spawn } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { REPO_ROOT } from "../../../src/cli/docs/repo-root.js";
import { createDatabase } from "../../../src/db/client.js";
import { isGatewayError } from "../../../src/domain/errors.js";
import { createGateway, type GatewayEvents } from "../../../src/gateway/create-gateway.js";
import { createGatewayLogger } from "../../../src/gateway/logger.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";
import { pubkeyFor } from "../../fakes/keys.js";
import { fakeGateway, fakeSettings } from "./fake-world.js";

const schemas: string[] = [];
function newSchema(label: string): string {
  const schema = `t_gw_${label}_${randomBytes(4).toString("hex")}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  const database = createDatabase({ connectionString: inject("databaseUrl") });
  for (const s of schemas) await sql`drop schema if exists ${sql.id(s)} cascade`.execute(database.db);
  await database.close();
});

describe("createGateway with injected fake ports on a real Postgres", () => {
  it("start → create a reverse swap through the HTTP API → events → stop cleanly", async () => {
    const { gateway } = fakeGateway(inject("databaseUrl"), newSchema("api"));
    const seen: (keyof GatewayEvents)[] = [];
    const updates: GatewayEvents["swap.update"][] = [];
    gateway.on("started", () => seen.push("started"));
    gateway.on("stopped", () => seen.push("stopped"));
    gateway.on("swap.update", (u) => updates.push(u));
    expect(() => gateway.service).toThrow(/not running/);

    await gateway.start();
    const url = gateway.http?.url ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pairs = (await (await fetch(`${url}/v2/swap/reverse`)).json()) as {
      BTC: { ARK: { hash: string } };
    };
    const preimageHash = createHash("sha256").update(randomBytes(32)).digest("hex");
    const res = await fetch(`${url}/v2/swap/reverse`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        from: "BTC",
        to: "ARK",
        invoiceAmount: 50_000,
        preimageHash,
        claimPublicKey: pubkeyFor("wallet"),
        pairHash: pairs.BTC.ARK.hash,
      }),
    });
    const created = (await res.json()) as { id: string; invoice: string; onchainAmount: number };
    expect(res.status).toBe(201);
    expect(created.invoice).toMatch(/^ln/);
    expect(created.onchainAmount).toBeLessThan(50_000);

    const swap = await gateway.service.get(created.id);
    expect(swap).toMatchObject({ type: "reverse", status: "invoice_created", paymentHash: preimageHash });
    expect((await gateway.service.list()).map((s) => s.id)).toContain(created.id);
    expect(await gateway.walletSummary()).toMatchObject({
      address: undefined,
      spendableSats: expect.any(BigInt),
    });

    await gateway.stop();
    await gateway.stop(); // idempotent
    expect(seen).toEqual(["started", "stopped"]);
    await expect(fetch(`${url}/v2/version`)).rejects.toThrow();
    expect(() => gateway.service).toThrow(/not running/);
    expect(updates.every((u) => u.id === created.id)).toBe(true);
  });

  it("refuses an unreachable arkd with a one-line startup failure and closes what it opened", async () => {
    const ln = new FakeLightning(new FakeChain());
    const gateway = createGateway({
      config: { settings: fakeSettings(inject("databaseUrl")) },
      logger: createGatewayLogger("silent"),
      ports: { lightning: ln },
      database: { schema: newSchema("arkd") },
    });
    const err = await gateway.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGatewayError(err, "gateway.startup_failed")).toBe(true);
    expect((err as Error).message).toBe(
      "cannot use arkd: nothing answers at http://127.0.0.1:1 (ark.unavailable): check --arkd-url (GATEWAY_ARKD_URL) and that arkd is running",
    );
    expect((err as Error).message).not.toContain("\n");
    await gateway.stop();
  });

  it("raw settings are validated, every problem at once", () => {
    let err: unknown;
    try {
      createGateway({ config: { settings: { network: "nope", listen: { port: 70_000 } } } });
    } catch (e) {
      err = e;
    }
    expect(isGatewayError(err, "config.invalid")).toBe(true);
    expect((err as Error).message).toContain('network": must be one of');
    expect((err as Error).message).toContain('"listen.port": must be in [0, 65535]');
  });

  it("SIGTERM stops a started gateway gracefully (exit 0, 'stopped')", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(REPO_ROOT, "test/integration/gateway/run-fake-gateway.ts"),
        inject("databaseUrl"),
        newSchema("sig"),
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let errOut = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (errOut += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    while (!out.includes("listening") && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    expect(out, errOut).toMatch(/listening http:\/\/127\.0\.0\.1:\d+/);
    const url = /listening (\S+)/.exec(out)?.[1] ?? "";
    expect((await fetch(`${url}/v2/version`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("stopped");
    expect(errOut).toContain("SIGTERM: stopping");
  });
});
