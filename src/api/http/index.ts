/** The Boltz v2 compatible HTTP + WebSocket API. */
export {
  API_ERRORS,
  INTERNAL_CODE,
  apiError,
  toErrorResponse,
  type ApiErrorCode,
  type ErrorBody,
} from "./errors.js";
export {
  DEFAULT_HTTP_LIMITS,
  createHttpServer,
  type HttpLimits,
  type HttpServer,
  type HttpServerOptions,
} from "./server.js";
export { apiRoutes } from "./routes/index.js";
export type { WsLimits } from "./ws-connection.js";
