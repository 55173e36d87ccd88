export { ARK_CLIENT_ERRORS, arkError, type ArkClientErrorCode } from "./errors.js";
export type { ArkServerPort, ArkServicePort, ArkIndexerPort, ArkStreamOptions } from "./port.js";
export { createGrpcArkClient, DEFAULT_ARK_TIMEOUT_MS, type GrpcArkClientOptions } from "./grpc-ark-client.js";
export type { ArkdInfo } from "./map-info.js";
export { listAllVtxos } from "./vtxo-paging.js";
export { loadArkServices, defaultProtoDir, ARK_PROTO_FILES, LOADER_OPTIONS } from "./load-protos.js";
export type * from "./types.js";
