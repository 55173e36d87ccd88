import { describe, expect, it, vi } from "vitest";
import { lnError } from "../../../src/lightning/errors.js";
import { PushStream } from "../../../src/lib/event-stream.js";
import { collect } from "../../fakes/lnd-context.js";

describe("PushStream", () => {
  it("delivers pushed events to a waiting consumer and ends", async () => {
    const onClose = vi.fn();
    const s = new PushStream<number>(onClose);
    const done = collect(s);
    s.push(1);
    s.push(2);
    s.end();
    s.push(3);
    expect(await done).toEqual({ events: [1, 2] });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("throws the failure after queued events", async () => {
    const s = new PushStream<number>(() => undefined);
    s.push(1);
    s.fail(lnError("ln.unavailable", "gone"));
    const { events, error } = await collect(s);
    expect(events).toEqual([1]);
    expect(error?.code).toBe("ln.unavailable");
  });

  it("breaking out of for-await closes the stream", async () => {
    const onClose = vi.fn();
    const s = new PushStream<number>(onClose);
    s.push(1);
    s.push(2);
    for await (const n of s) {
      expect(n).toBe(1);
      break;
    }
    expect(onClose).toHaveBeenCalledOnce();
    expect(s.isDone).toBe(true);
  });
});
