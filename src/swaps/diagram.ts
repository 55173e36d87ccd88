/**
 * Mermaid state diagrams generated from the transition tables (docs/lifecycle.md holds them), so the
 * documentation can never drift from the code.
 */
import type { SwapType } from "../domain/swap-types.js";
import { REVERSE_TABLE } from "./reverse/transitions.js";
import { SUBMARINE_TABLE } from "./submarine/transitions.js";
import type { TransitionTable } from "./table.js";

/**
 * A `stateDiagram-v2` of one table: `[*]` into the initial state, one arrow per transition
 * labelled with its event, terminal states into `[*]`, and a note with the recovery re-checks of
 * every non-terminal state.
 * @param opts.recovery include the recovery notes (default true)
 */
export function mermaidDiagram<T extends SwapType, E extends string>(
  table: TransitionTable<T, E>,
  opts: { readonly recovery?: boolean } = {},
): string {
  const lines = ["stateDiagram-v2", `  [*] --> ${table.initial}`];
  for (const t of table.transitions) lines.push(`  ${t.from} --> ${t.to}: ${t.event}`);
  for (const s of table.states) if (table.terminal.has(s)) lines.push(`  ${s} --> [*]`);
  if (opts.recovery ?? true) {
    for (const s of table.states) {
      const edge = table.recovery[s];
      if (edge === undefined) continue;
      lines.push(`  note right of ${s}: recover ${edge.recheck.join(", ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Both diagrams as a Markdown section (fenced `mermaid` blocks). */
export function swapDiagramsMarkdown(): string {
  return [
    "### Submarine (Ark → Lightning)",
    "",
    "```mermaid",
    mermaidDiagram(SUBMARINE_TABLE).trimEnd(),
    "```",
    "",
    "### Reverse (Lightning → Ark)",
    "",
    "```mermaid",
    mermaidDiagram(REVERSE_TABLE).trimEnd(),
    "```",
    "",
  ].join("\n");
}
