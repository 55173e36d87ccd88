import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPackageDefinition, type ServiceDefinition } from "@grpc/grpc-js";
import { loadSync, type Options } from "@grpc/proto-loader";
import { arkError } from "./errors.js";

/*
 * Why runtime loading (proto-loader) rather than generated code: our protos are a small,
 * hand-kept subset pinned by a numbers test, so a codegen step (protoc or buf, plus its
 * output checked in or built in CI) would add tooling for little gain; the hand-written
 * wire types in wire-types.ts plus validating mappers give the same type safety at the
 * boundary, and `longs: String` keeps every 64-bit value exact until it becomes a bigint.
 */

/** Decoding options shared by the client and the test servers: see wire-types.ts. */
export const LOADER_OPTIONS: Options = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  arrays: true,
  objects: true,
});

/** Our proto files, relative to the proto directory. */
export const ARK_PROTO_FILES: readonly string[] = Object.freeze([
  "ark/v1/service.proto",
  "ark/v1/indexer.proto",
]);

export interface ArkServiceDefinitions {
  readonly arkService: ServiceDefinition;
  readonly indexerService: ServiceDefinition;
}

/**
 * Finds the repository's `proto/` directory by walking up from this module (works from
 * `src/ark/client` under tsx/vitest and from `dist/src/ark/client` after a build).
 * @throws GatewayError `ark.client_misconfigured` when no ancestor holds proto/ark/v1
 */
export function defaultProtoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, "proto");
    if (existsSync(join(candidate, ARK_PROTO_FILES[0] ?? ""))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw arkError("ark.client_misconfigured", "cannot find the proto/ directory with ark/v1 protos");
}

const cache = new Map<string, ArkServiceDefinitions>();

/**
 * Loads (once per directory) the ark.v1 ArkService and IndexerService definitions.
 * @param protoDir directory holding `ark/v1/*.proto` (default: defaultProtoDir())
 * @returns the two service definitions, usable by a grpc-js Client or Server
 * @throws GatewayError `ark.client_misconfigured` when the files are missing or do not parse
 */
export function loadArkServices(protoDir: string = defaultProtoDir()): ArkServiceDefinitions {
  const dir = resolve(protoDir);
  const cached = cache.get(dir);
  if (cached !== undefined) return cached;
  let defs: ArkServiceDefinitions;
  try {
    const pkg = loadSync([...ARK_PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [dir] });
    const grpcObject = loadPackageDefinition(pkg);
    const arkV1 = (grpcObject.ark as Record<string, unknown>).v1 as Record<string, unknown>;
    const service = (name: string): ServiceDefinition =>
      (arkV1[name] as { service: ServiceDefinition }).service;
    defs = { arkService: service("ArkService"), indexerService: service("IndexerService") };
  } catch (err) {
    throw arkError(
      "ark.client_misconfigured",
      `cannot load ark.v1 protos from ${dir}: ${(err as Error).message}`,
      { protoDir: dir },
      err,
    );
  }
  cache.set(dir, defs);
  return defs;
}
