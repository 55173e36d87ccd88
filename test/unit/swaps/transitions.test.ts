import { describe, expect, it } from "vitest";
import { PUBLIC_STATUS, statusesOf, TERMINAL_STATUSES } from "../../../src/domain/swap-types.js";
import { mermaidDiagram, swapDiagramsMarkdown } from "../../../src/swaps/diagram.js";
import { REVERSE_STEPS } from "../../../src/swaps/reverse/steps.js";
import { REVERSE_TABLE } from "../../../src/swaps/reverse/transitions.js";
import { SUBMARINE_STEPS } from "../../../src/swaps/submarine/steps.js";
import { SUBMARINE_TABLE } from "../../../src/swaps/submarine/transitions.js";
import { nextStatus, tableProblems, type TransitionTable } from "../../../src/swaps/table.js";

const TABLES = [
  ["submarine", SUBMARINE_TABLE, SUBMARINE_STEPS],
  ["reverse", REVERSE_TABLE, REVERSE_STEPS],
] as const;

describe.each(TABLES)("%s transition table", (type, table, steps) => {
  const t = table as TransitionTable<typeof type, string>;

  it("is structurally sound: known states/events, no duplicate edges, all reachable, a way out of every open state", () => {
    expect(tableProblems(t)).toEqual([]);
  });

  it("uses exactly the domain statuses and terminal set", () => {
    expect([...t.states]).toEqual([...statusesOf(type)]);
    expect(t.terminal).toBe(TERMINAL_STATUSES[type]);
    expect(Object.keys(PUBLIC_STATUS[type]).sort()).toEqual([...t.states].sort());
  });

  it("has a recovery edge and a step for every non-terminal state, and none for terminal ones (invariant 5)", () => {
    for (const s of t.states) {
      const terminal = t.terminal.has(s);
      expect(t.recovery[s] === undefined, s).toBe(terminal);
      expect((steps as Record<string, unknown>)[s] === undefined, s).toBe(terminal);
      if (!terminal) expect(t.recovery[s]?.recheck.length).toBeGreaterThan(0);
    }
  });

  it("leaves terminal states only through self-loops", () => {
    for (const r of t.transitions) if (t.terminal.has(r.from)) expect(r.to).toBe(r.from);
  });

  it("answers undefined for an event not allowed from a state (a stale event changes nothing)", () => {
    expect(nextStatus(t, t.initial, "no_such_event")).toBeUndefined();
  });
});

describe("submarine table specifics", () => {
  it("pays only from funded and never after a refund could have been signed (invariant 1)", () => {
    const intoPaying = SUBMARINE_TABLE.transitions.filter((r) => r.to === "paying");
    expect(intoPaying).toEqual([{ from: "funded", event: "payment_started", to: "paying" }]);
    const cosignFrom = SUBMARINE_TABLE.transitions
      .filter((r) => r.event === "refund_cosigned")
      .map((r) => r.from);
    expect(cosignFrom.sort()).toEqual(["expired", "funding_rejected", "payment_failed"]);
    // no path from a refundable state back to paying
    for (const from of cosignFrom)
      expect(SUBMARINE_TABLE.transitions.some((r) => r.from === from && r.to === "paying")).toBe(false);
  });

  it("a funding lost before paying (unrolled, swept, spent) leads only to the refundable funding_rejected", () => {
    expect(SUBMARINE_TABLE.transitions.filter((r) => r.event === "funding_lost")).toEqual([
      { from: "funded", event: "funding_lost", to: "funding_rejected" },
      { from: "paying", event: "funding_lost", to: "funding_rejected" },
    ]);
  });

  it("claims only after paid (preimage durable first: invariant 6)", () => {
    expect(SUBMARINE_TABLE.transitions.filter((r) => r.to === "claiming").map((r) => r.from)).toEqual([
      "paid",
    ]);
  });
});

describe("reverse table specifics", () => {
  it("funds only from invoice_held (invariant 2: never fund unless held)", () => {
    expect(REVERSE_TABLE.transitions.filter((r) => r.to === "funding").map((r) => r.from)).toEqual([
      "invoice_held",
    ]);
    expect(REVERSE_TABLE.transitions.filter((r) => r.to === "invoice_held").map((r) => r.from)).toEqual([
      "invoice_created",
    ]);
  });

  it("settles only from preimage_learned (invariant 2)", () => {
    expect(REVERSE_TABLE.transitions.filter((r) => r.to === "settled").map((r) => r.from)).toEqual([
      "preimage_learned",
    ]);
  });
});

describe("Mermaid diagram", () => {
  it.each(TABLES)(
    "%s: every state appears, every transition is an arrow, every open state has a recovery note",
    (_t, table) => {
      const t = table as TransitionTable<"submarine" | "reverse", string>;
      const text = mermaidDiagram(t);
      expect(text.startsWith("stateDiagram-v2\n")).toBe(true);
      expect(text).toContain(`[*] --> ${t.initial}`);
      for (const s of t.states) expect(text, s).toMatch(new RegExp(`\\b${s}\\b`));
      for (const r of t.transitions) expect(text).toContain(`${r.from} --> ${r.to}: ${r.event}`);
      for (const s of t.states) {
        const note = `note right of ${s}: recover`;
        expect(text.includes(note), s).toBe(!t.terminal.has(s));
        if (t.terminal.has(s)) expect(text).toContain(`${s} --> [*]`);
      }
    },
  );

  it("renders both diagrams as Markdown mermaid blocks", () => {
    const md = swapDiagramsMarkdown();
    expect(md.match(/```mermaid/g)).toHaveLength(2);
    expect(md).toContain("payment_started");
    expect(md).toContain("preimage_revealed");
  });
});
