/**
 * The `/v2/ws` message vocabulary (Boltz v2): client ops `subscribe` / `unsubscribe` on channel
 * `swap.update` with `args` = swap ids, and `ping`; server events `subscribe`, `update`,
 * `unsubscribe`, `pong` and `error`. `@arkade-os/boltz-swap` 0.2.20 and 0.3.x (`monitorSwap`,
 * SwapManager `handleWebSocketMessage`) only act on `event: "update"` with
 * `args[0].id` and `args[0].status` (or `args[0].error`), ignoring every other event, and never
 * send a `ping` op: everything a client needs is in `update` events.
 */
import { apiError } from "./errors.js";
import type { WireStatus } from "./wire.js";

export const SWAP_UPDATE_CHANNEL = "swap.update";
const SWAP_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type ClientMessage =
  | {
      readonly op: "subscribe" | "unsubscribe";
      readonly channel: typeof SWAP_UPDATE_CHANNEL;
      readonly args: readonly string[];
    }
  | { readonly op: "ping" };

/** One `swap.update` arg: a status, or an error for an id that cannot be followed. */
export type UpdateArg =
  ({ readonly id: string } & WireStatus) | { readonly id: string; readonly error: string };

/**
 * Parses one client message.
 * @param maxIds most ids one message may carry
 * @throws GatewayError `ws.invalid_message`, `ws.unknown_operation`, `ws.unknown_channel`,
 *   `request.invalid_id`, `ws.too_many_subscriptions`
 */
export function parseClientMessage(text: string, maxIds: number): ClientMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw apiError("ws.invalid_message", "could not parse message: not JSON");
  }
  if (typeof msg !== "object" || msg === null || Array.isArray(msg)) {
    throw apiError("ws.invalid_message", "could not parse message: not a JSON object");
  }
  const { op, channel, args } = msg as Record<string, unknown>;
  if (op === "ping") return { op: "ping" };
  if (op !== "subscribe" && op !== "unsubscribe") throw apiError("ws.unknown_operation", "unknown operation");
  if (channel !== SWAP_UPDATE_CHANNEL) throw apiError("ws.unknown_channel", "unknown channel");
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
    throw apiError("ws.invalid_message", "args must be an array of swap ids");
  }
  if (args.length > maxIds) {
    throw apiError("ws.too_many_subscriptions", `at most ${maxIds} swap ids per connection`, {
      limit: maxIds,
    });
  }
  const bad = (args as string[]).find((a) => !SWAP_ID.test(a));
  if (bad !== undefined)
    throw apiError("request.invalid_id", "args must be swap ids", { id: bad.slice(0, 80) });
  return { op, channel, args: [...new Set(args as string[])] };
}

/** `{event: "update", channel: "swap.update", args, timestamp}` (timestamp: ms, as a string). */
export function updateEvent(args: readonly UpdateArg[]): string {
  return JSON.stringify({
    event: "update",
    channel: SWAP_UPDATE_CHANNEL,
    args,
    timestamp: String(Date.now()),
  });
}

/** `{event: "subscribe" | "unsubscribe", channel, args}`. */
export function ackEvent(event: "subscribe" | "unsubscribe", args: readonly string[]): string {
  return JSON.stringify({ event, channel: SWAP_UPDATE_CHANNEL, args });
}

/** `{event: "error", error, code}`. */
export function errorEvent(error: string, code: string): string {
  return JSON.stringify({ event: "error", error, code });
}

export const PONG_EVENT = JSON.stringify({ event: "pong" });
