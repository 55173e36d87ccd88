import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSync, type MessageTypeDefinition, type ServiceDefinition } from "@grpc/proto-loader";
import { describe, expect, it } from "vitest";
import { ARK_PROTO_FILES, defaultProtoDir, loadArkServices } from "../../../../src/ark/client/load-protos.js";
import { UPSTREAM_ENUMS, UPSTREAM_MESSAGES, UPSTREAM_METHODS, UPSTREAM_ONEOFS } from "./upstream-ark-v1.js";

/*
 * Our ark.v1 protos must be wire-compatible with arkd v0.9.15: every message, field number,
 * type, oneof and method we declare is checked against the table transcribed from upstream.
 * Declaring fewer fields than upstream is allowed (unknown fields are skipped on decode).
 */

const protoDir = defaultProtoDir();
const pkg = loadSync([...ARK_PROTO_FILES], { includeDirs: [protoDir], keepCase: true });

interface FieldDescriptor {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
}
interface DescriptorProto {
  name: string;
  field: FieldDescriptor[];
  nestedType: DescriptorProto[];
  options: { mapEntry?: boolean } | null;
}

const PREFIX = "ark.v1.";
const messages = new Map<string, DescriptorProto>();
const enums = new Map<string, { value: Array<{ name: string; number: number }> }>();
const services = new Map<string, ServiceDefinition>();
for (const [name, def] of Object.entries(pkg)) {
  expect(name.startsWith(PREFIX)).toBe(true);
  const short = name.slice(PREFIX.length);
  const typed = def as MessageTypeDefinition;
  if (typed.format === "Protocol Buffer 3 DescriptorProto") {
    messages.set(short, typed.type as unknown as DescriptorProto);
  } else if (typed.format === "Protocol Buffer 3 EnumDescriptorProto") {
    enums.set(short, typed.type as unknown as { value: Array<{ name: string; number: number }> });
  } else {
    services.set(short, def as ServiceDefinition);
  }
}

function scalar(f: FieldDescriptor): string {
  return f.type === "TYPE_MESSAGE" || f.type === "TYPE_ENUM"
    ? f.typeName.replace(/^\.?ark\.v1\./, "")
    : f.type.replace(/^TYPE_/, "").toLowerCase();
}

function describeField(msg: DescriptorProto, f: FieldDescriptor): string {
  const entry = msg.nestedType.find((n) => n.name === f.typeName && n.options?.mapEntry === true);
  if (entry !== undefined) {
    const [k, v] = entry.field;
    return `map<${scalar(k!)},${scalar(v!)}>`;
  }
  return f.label === "LABEL_REPEATED" ? `repeated ${scalar(f)}` : scalar(f);
}

/** message -> oneof -> members, read from the proto text (proto-loader's descriptor drops it). */
function oneofsInText(): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const file of ARK_PROTO_FILES) {
    const text = readFileSync(join(protoDir, file), "utf8").replace(/\/\/.*$/gm, "");
    for (const m of text.matchAll(/message\s+(\w+)\s*\{/g)) {
      let depth = 1;
      let i = (m.index ?? 0) + m[0].length;
      const start = i;
      while (depth > 0 && i < text.length) {
        if (text[i] === "{") depth++;
        else if (text[i] === "}") depth--;
        i++;
      }
      const body = text.slice(start, i - 1);
      for (const o of body.matchAll(/oneof\s+(\w+)\s*\{([^}]*)\}/g)) {
        const members = [...(o[2] ?? "").matchAll(/(\w+)\s*=\s*\d+\s*;/g)].map((x) => x[1]!);
        const byName = out.get(m[1]!) ?? new Map<string, string[]>();
        byName.set(o[1]!, members);
        out.set(m[1]!, byName);
      }
    }
  }
  return out;
}

describe("ark.v1 protos", () => {
  it("parse, and both services load for grpc-js", () => {
    const defs = loadArkServices();
    expect(Object.keys(defs.arkService)).toHaveLength(14);
    expect(Object.keys(defs.indexerService)).toHaveLength(7);
  });

  it("declare only messages of the upstream table, and all of them", () => {
    expect([...messages.keys()].sort()).toEqual(Object.keys(UPSTREAM_MESSAGES).sort());
  });

  for (const [name, upstream] of Object.entries(UPSTREAM_MESSAGES)) {
    it(`${name}: every declared field has upstream's number and type`, () => {
      const msg = messages.get(name);
      expect(msg, `message ${name} missing`).toBeDefined();
      const ours = Object.fromEntries(
        msg!.field.map((f) => [f.name, [f.number, describeField(msg!, f)] as const]),
      );
      for (const [field, spec] of Object.entries(ours)) {
        expect(upstream[field], `${name}.${field} is not upstream`).toBeDefined();
        expect(spec, `${name}.${field}`).toEqual(upstream[field]);
      }
      // Omissions must be deliberate: only these upstream fields are left out.
      const omitted = Object.keys(upstream).filter((f) => !(f in ours));
      const allowed: Record<string, string[]> = {
        GetInfoResponse: ["service_status"],
        GetVirtualTxsResponse: ["auth_token"],
      };
      expect(omitted).toEqual(allowed[name] ?? []);
    });
  }

  it("declare upstream's oneofs, with the same members", () => {
    const ours = oneofsInText();
    const asPlain = Object.fromEntries([...ours].map(([m, byName]) => [m, Object.fromEntries(byName)]));
    expect(asPlain).toEqual(UPSTREAM_ONEOFS);
  });

  it("declare upstream's enum values", () => {
    expect([...enums.keys()]).toEqual(Object.keys(UPSTREAM_ENUMS));
    for (const [name, values] of Object.entries(UPSTREAM_ENUMS)) {
      const ours = Object.fromEntries(enums.get(name)!.value.map((v) => [v.name, v.number]));
      expect(ours).toEqual(values);
    }
  });

  it("declare upstream's methods: paths, types and streaming", () => {
    expect([...services.keys()].sort()).toEqual(Object.keys(UPSTREAM_METHODS).sort());
    for (const [svc, methods] of Object.entries(UPSTREAM_METHODS)) {
      const ours = services.get(svc)!;
      expect(Object.keys(ours).sort()).toEqual(Object.keys(methods).sort());
      for (const [method, [req, res, kind]] of Object.entries(methods)) {
        const def = ours[method]!;
        expect(def.path).toBe(`/ark.v1.${svc}/${method}`);
        const typeName = (t: { type: object }): string => (t.type as { name: string }).name;
        expect(typeName(def.requestType)).toBe(req);
        expect(typeName(def.responseType)).toBe(res);
        expect(def.requestStream).toBe(false);
        expect(def.responseStream).toBe(kind === "server-stream");
      }
    }
  });
});
