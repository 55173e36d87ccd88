/**
 * GET /openapi.json: an OpenAPI 3.1 document covering exactly the served routes, whose response
 * schemas the real answers satisfy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../../src/api/http/index.js";
import { pubkeyHex } from "../../fakes/fake-swap-service.js";
import { PSBT_B64, fakeInvoice, get, post, startHarness, type Harness } from "./helpers.js";

type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        responses: Record<string, { content?: { "application/json": { schema: Schema } } }>;
        requestBody?: unknown;
      }
    >
  >;
};
type Schema = Record<string, unknown>;

/** The endpoints wallets call (PROTOCOL §8) plus meta: all must be documented. */
const EXPECTED = [
  "GET /v2/swap/submarine",
  "POST /v2/swap/submarine",
  "GET /v2/swap/reverse",
  "POST /v2/swap/reverse",
  "GET /v2/swap/{id}",
  "GET /v2/swap/submarine/{id}/preimage",
  "GET /v2/swap/reverse/{id}/transaction",
  "POST /v2/swap/submarine/{id}/refund/ark",
  "GET /v2/chain/heights",
  "POST /v2/swap/restore",
  "GET /v2/swap/chain",
  "GET /v2/version",
  "GET /openapi.json",
];

/** A minimal JSON Schema check: $ref (to components), type, required, properties, items, enum, const, oneOf. */
function conforms(value: unknown, s: Schema, path = "$"): string[] {
  const ref = s["$ref"];
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    const target = (doc as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas[
      name
    ];
    return target === undefined ? [`${path}: unresolved ${ref}`] : conforms(value, target, path);
  }
  if (Array.isArray(s["oneOf"])) {
    const ok = (s["oneOf"] as Schema[]).filter((alt) => conforms(value, alt, path).length === 0);
    return ok.length === 1 ? [] : [`${path}: matches ${ok.length} of oneOf`];
  }
  if ("const" in s && value !== s["const"]) return [`${path}: not ${String(s["const"])}`];
  if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).includes(value)) return [`${path}: not in enum`];
  const t = s["type"];
  const typeOk =
    t === undefined ||
    (t === "integer" && Number.isSafeInteger(value)) ||
    (t === "number" && typeof value === "number") ||
    (t === "string" && typeof value === "string") ||
    (t === "boolean" && typeof value === "boolean") ||
    (t === "array" && Array.isArray(value)) ||
    (t === "object" && typeof value === "object" && value !== null && !Array.isArray(value));
  if (!typeOk) return [`${path}: not ${String(t)}`];
  const out: string[] = [];
  if (t === "object") {
    const obj = value as Record<string, unknown>;
    for (const k of (s["required"] as string[] | undefined) ?? [])
      if (!(k in obj)) out.push(`${path}.${k}: missing`);
    const props = (s["properties"] as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (props[k] !== undefined) out.push(...conforms(v, props[k], `${path}.${k}`));
      else if (s["properties"] !== undefined) out.push(`${path}.${k}: undocumented`);
    }
  }
  if (t === "array")
    (value as unknown[]).forEach((v, i) => out.push(...conforms(v, s["items"] as Schema, `${path}[${i}]`)));
  return out;
}

let h: Harness;
let doc: Doc;
beforeAll(async () => {
  h = await startHarness();
  const res = await get(h.base, "/openapi.json");
  expect(res.status).toBe(200);
  doc = res.body as Doc;
});
afterAll(async () => {
  await h.close();
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the gateway version", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("0.1.0-test");
  });

  it("documents every route of the table, and nothing else", () => {
    const table = apiRoutes("x")
      .routes.map((r) => `${r.method} ${r.path}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(table);
    expect(documented).toEqual([...EXPECTED].sort());
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents the request body of every POST with the validating schema", () => {
    const sub = doc.paths["/v2/swap/submarine"]?.["post"]?.requestBody as {
      content: { "application/json": { schema: Schema } };
    };
    const schema = sub.content["application/json"].schema;
    expect(schema["required"]).toEqual(["from", "to", "invoice", "refundPublicKey"]);
    expect(schema["additionalProperties"]).toBe(false);
    for (const [p, ops] of Object.entries(doc.paths)) {
      if (ops["post"] !== undefined) expect(ops["post"].requestBody, p).toBeDefined();
    }
  });

  it("documents restore's two key forms (≤ 100 publicKeys) and descriptionHash's exclusion", () => {
    const bodyOf = (p: string): Schema =>
      (doc.paths[p]?.["post"]?.requestBody as { content: { "application/json": { schema: Schema } } })
        .content["application/json"].schema;
    const restore = bodyOf("/v2/swap/restore");
    const props = restore["properties"] as Record<string, Schema>;
    expect(props["publicKeys"]).toMatchObject({ type: "array", minItems: 1, maxItems: 100 });
    expect(props["publicKey"]).toMatchObject({ type: "string", pattern: "^0[23][0-9a-fA-F]{64}$" });
    expect(restore["allOf"]).toEqual([
      { not: { required: ["publicKey", "publicKeys"] } },
      { anyOf: [{ required: ["publicKey"] }, { required: ["publicKeys"] }] },
    ]);
    const reverse = bodyOf("/v2/swap/reverse");
    expect((reverse["properties"] as Record<string, Schema>)["descriptionHash"]).toMatchObject({
      minLength: 64,
      maxLength: 64,
    });
    expect(reverse["allOf"]).toEqual([{ not: { required: ["description", "descriptionHash"] } }]);
  });

  it("describes what each endpoint really answers", async () => {
    const key = pubkeyHex(9);
    const sub = await post(h.base, "/v2/swap/submarine", {
      from: "ARK",
      to: "BTC",
      invoice: fakeInvoice(),
      refundPublicKey: key,
    });
    const rev = await post(h.base, "/v2/swap/reverse", {
      from: "BTC",
      to: "ARK",
      invoiceAmount: 20_000,
      claimPublicKey: key,
      preimageHash: "cd".repeat(32),
    });
    const subId = (sub.body as { id: string }).id;
    const revId = (rev.body as { id: string }).id;
    h.service.preimages.set(subId, "ef".repeat(32));
    h.service.lockups.set(revId, { id: "aa".repeat(32), hex: "00" });
    h.service.transition(subId, "payment_failed", { failureReason: "no route", claimTxid: "bb".repeat(32) });
    const answers: [string, string, { status: number; body: unknown }][] = [
      ["/v2/swap/submarine", "post", sub],
      ["/v2/swap/reverse", "post", rev],
      ["/v2/swap/submarine", "get", await get(h.base, "/v2/swap/submarine")],
      ["/v2/swap/reverse", "get", await get(h.base, "/v2/swap/reverse")],
      ["/v2/swap/{id}", "get", await get(h.base, `/v2/swap/${subId}`)],
      ["/v2/swap/submarine/{id}/preimage", "get", await get(h.base, `/v2/swap/submarine/${subId}/preimage`)],
      [
        "/v2/swap/reverse/{id}/transaction",
        "get",
        await get(h.base, `/v2/swap/reverse/${revId}/transaction`),
      ],
      [
        "/v2/swap/submarine/{id}/refund/ark",
        "post",
        await post(h.base, `/v2/swap/submarine/${subId}/refund/ark`, {
          transaction: PSBT_B64,
          checkpoint: PSBT_B64,
        }),
      ],
      ["/v2/chain/heights", "get", await get(h.base, "/v2/chain/heights")],
      ["/v2/swap/restore", "post", await post(h.base, "/v2/swap/restore", { publicKey: key })],
      [
        "/v2/swap/restore",
        "post",
        await post(h.base, "/v2/swap/restore", { publicKeys: [pubkeyHex(8), key] }),
      ],
      [
        "/v2/swap/reverse",
        "post",
        await post(h.base, "/v2/swap/reverse", {
          from: "BTC",
          to: "ARK",
          invoiceAmount: 20_000,
          claimPublicKey: key,
          preimageHash: "ce".repeat(32),
          descriptionHash: "01".repeat(32),
        }),
      ],
      ["/v2/swap/chain", "get", await get(h.base, "/v2/swap/chain")],
      ["/v2/version", "get", await get(h.base, "/v2/version")],
    ];
    for (const [path, method, res] of answers) {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      const schema = responses[String(res.status)]?.content?.["application/json"].schema;
      expect(schema, `${method} ${path} ${res.status}`).toBeDefined();
      expect(conforms(res.body, schema as Schema), `${method} ${path}`).toEqual([]);
    }
    expect((answers.find((a) => a[0] === "/v2/swap/restore")?.[2].body as unknown[]).length).toBe(2);
    expect(answers.map((a) => a[2].status).filter((st) => st >= 400)).toEqual([404]); // the chain refusal
  });

  it("documents the error answers, and an error answer matches the Error schema", async () => {
    const res = await get(h.base, "/v2/swap/unknown1");
    const op = doc.paths["/v2/swap/{id}"]?.["get"];
    expect(op?.responses["404"]).toBeDefined();
    const errSchema = (doc as unknown as { components: { schemas: { Error: Schema } } }).components.schemas
      .Error;
    expect(conforms(res.body, errSchema)).toEqual([]);
  });
});
