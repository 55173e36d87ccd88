import { describe, expect, it } from "vitest";
import {
  BOLTZ_STATUSES,
  INITIAL_STATUS,
  isBoltzStatus,
  isStatusOf,
  isTerminalStatus,
  PUBLIC_FINAL_STATUSES,
  PUBLIC_STATUS,
  statusesOf,
  SUCCESS_STATUS,
  SWAP_TYPES,
  TERMINAL_STATUSES,
  toPublicStatus,
  type SwapType,
} from "../../../src/domain/swap-types.js";

const SUCCESS_PUBLIC: Record<SwapType, string> = {
  submarine: "transaction.claimed",
  reverse: "invoice.settled",
};

describe.each(SWAP_TYPES)("%s statuses", (type) => {
  const statuses = statusesOf(type) as readonly string[];

  it("maps every internal status to a Boltz status, and nothing else", () => {
    for (const status of statuses) {
      expect(isBoltzStatus(toPublicStatus(type, status as never)), status).toBe(true);
    }
    expect(Object.keys(PUBLIC_STATUS[type]).sort()).toEqual([...statuses].sort());
  });

  it("has unique statuses", () => {
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it("starts in a non-terminal status and succeeds in a terminal one that is Boltz's success", () => {
    expect(isTerminalStatus(type, INITIAL_STATUS[type] as never)).toBe(false);
    expect(isTerminalStatus(type, SUCCESS_STATUS[type] as never)).toBe(true);
    expect(toPublicStatus(type, SUCCESS_STATUS[type] as never)).toBe(SUCCESS_PUBLIC[type]);
  });

  it("only has terminal statuses of its own, and each looks final to clients", () => {
    for (const status of TERMINAL_STATUSES[type] as ReadonlySet<string>) {
      expect(isStatusOf(type, status)).toBe(true);
      expect(PUBLIC_FINAL_STATUSES[type].has(toPublicStatus(type, status as never)), status).toBe(true);
    }
  });

  it("never shows the success status before the internal success", () => {
    const success = SUCCESS_PUBLIC[type];
    const showing = statuses.filter((s) => toPublicStatus(type, s as never) === success);
    expect(showing).toEqual([SUCCESS_STATUS[type]]);
  });

  it("uses only Boltz vocabulary in its final set", () => {
    for (const status of PUBLIC_FINAL_STATUSES[type]) expect(BOLTZ_STATUSES).toContain(status);
  });
});

describe("status guards", () => {
  it("tell the types apart", () => {
    expect(isStatusOf("submarine", "claimed")).toBe(true);
    expect(isStatusOf("reverse", "claimed")).toBe(false);
    expect(isStatusOf("reverse", 42)).toBe(false);
    expect(isBoltzStatus("invoice.settled")).toBe(true);
    expect(isBoltzStatus("invoice.settle")).toBe(false);
  });
});
