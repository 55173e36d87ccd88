/**
 * An ArkServerPort whose VTXOs carry their real sweep deadline (see batch-deadlines.ts) in
 * `expiresAt`, and arkd's raw value in `arkdExpiresAt`. Everything above the Ark client (the
 * wallet's store and coin selection, the swap engine's invariant 3) reads `expiresAt` and so gets
 * a number in the server's locktime unit; an unknown deadline is 0 (never outlives anything).
 * Only GetVtxos and the subscription stream carry VTXOs; every other call passes through.
 */
import type {
  ArkServerPort,
  ArkStream,
  ArkStreamOptions,
  SubscriptionStreamEvent,
  Vtxo,
} from "../client/index.js";
import type { BatchDeadlines } from "./batch-deadlines.js";

/** What the wrapper needs of BatchDeadlines (a test arkd may know its deadlines itself). */
type Deadlines = Pick<BatchDeadlines, "deadlineOf">;

async function withDeadlines(vtxos: readonly Vtxo[], deadlines: Deadlines): Promise<Vtxo[]> {
  return Promise.all(
    vtxos.map(async (v) => ({
      ...v,
      arkdExpiresAt: v.arkdExpiresAt ?? v.expiresAt,
      expiresAt: (await deadlines.deadlineOf(v)) ?? 0n,
    })),
  );
}

function mappedStream(
  inner: ArkStream<SubscriptionStreamEvent>,
  deadlines: Deadlines,
): ArkStream<SubscriptionStreamEvent> {
  return {
    close: () => inner.close(),
    async *[Symbol.asyncIterator]() {
      for await (const ev of inner) {
        if (ev.type !== "tx") {
          yield ev;
          continue;
        }
        yield {
          ...ev,
          newVtxos: await withDeadlines(ev.newVtxos, deadlines),
          spentVtxos: await withDeadlines(ev.spentVtxos, deadlines),
          sweptVtxos: await withDeadlines(ev.sweptVtxos, deadlines),
        };
      }
    },
  };
}

/** Wraps `ark` so that every VTXO it returns carries its derived deadline. */
export function withBatchDeadlines(ark: ArkServerPort, deadlines: Deadlines): ArkServerPort {
  return new Proxy(ark, {
    get(target, prop, receiver) {
      if (prop === "getVtxos")
        return async (...args: Parameters<ArkServerPort["getVtxos"]>) => {
          const page = await target.getVtxos(...args);
          return { ...page, vtxos: await withDeadlines(page.vtxos, deadlines) };
        };
      if (prop === "streamSubscription")
        return (id: string, opts?: ArkStreamOptions) =>
          mappedStream(target.streamSubscription(id, opts), deadlines);
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
