/**
 * vitest setupFile of the e2e projects: @arkade-os/sdk's RestArkProvider opens arkd's event
 * streams (batch events, transaction stream) with the global `EventSource` that browsers have.
 * Node 20 has none, Node 22 and 24 only behind --experimental-eventsource, so without this
 * every SDK batch join (settle, note redemption) fails with `EventSource is not defined`.
 * The gateway itself never uses EventSource (it speaks gRPC to arkd).
 */
import { EventSource } from "eventsource";

const g = globalThis as { EventSource?: unknown };
if (typeof g.EventSource !== "function") g.EventSource = EventSource;
