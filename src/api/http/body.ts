/**
 * Reading a JSON request body: content type, size limit (declared and actual), UTF-8 and JSON.
 */
import type { IncomingMessage } from "node:http";
import { apiError } from "./errors.js";

/**
 * Whether the request declares a JSON body (`application/json`, any parameters, any case).
 * A missing content type is only accepted for an empty body.
 */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const mediaType = header.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * Reads and parses the JSON body of `req`.
 * @param maxBytes largest accepted body, in bytes
 * @returns the parsed JSON value (`undefined` for an empty body)
 * @throws GatewayError `http.unsupported_media_type`, `http.body_too_large`, `http.invalid_json`
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw apiError("http.body_too_large", `body exceeds ${maxBytes} bytes`, { limit: maxBytes });
  }
  const raw = await readRaw(req, maxBytes);
  if (raw.length === 0) return undefined;
  if (!isJsonContentType(req.headers["content-type"])) {
    throw apiError("http.unsupported_media_type", "body must be application/json");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw apiError("http.invalid_json", "body is not valid UTF-8");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw apiError("http.invalid_json", "body is not valid JSON");
  }
}

function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(apiError("http.body_too_large", `body exceeds ${maxBytes} bytes`, { limit: maxBytes }));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) reject(err);
    });
  });
}
