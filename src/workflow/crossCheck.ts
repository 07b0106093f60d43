/**
 * Whole-workflow checks, once every node is read: references in `needs`, `then` and `else`,
 * dependency cycles, and what switch conditions read.
 */
import { pathsOf, type Expr } from './expression';
import { ancestors, findCycles, formatCycle, type GraphNode } from './graph';
import { didYouMean } from './suggest';
import { clip } from './quote';
import { conditionRange, type Condition } from './condition';
import type { Draft } from './draft';
import type { Ref } from './values';
import type { Source } from './yamlSource';
import type { SourceRange } from './types';

export function crossCheck(src: Source, drafts: Draft[]): void {
  const ids = new Set(drafts.map((d) => d.id));
  const idList = [...ids];
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const unknown = (ref: Ref, where: string): void =>
    src.error(
      ref.range,
      `${where} \`${clip(ref.id)}\`, which is not a node in this workflow${didYouMean(ref.id, idList)}`,
    );

  for (const d of drafts) {
    const seen = new Set<string>();
    for (const ref of d.needs) {
      if (ref.id === d.id) src.error(ref.range, `node \`${clip(d.id)}\` cannot need itself`);
      else if (!ids.has(ref.id)) unknown(ref, '`needs` names');
      else if (seen.has(ref.id)) src.warn(ref.range, `\`${clip(ref.id)}\` is already in \`needs\``);
      else {
        seen.add(ref.id);
        d.deps.push(ref);
      }
    }
  }

  for (const s of drafts) {
    if (s.type !== 'switch') continue;
    const inThen = new Set<string>();
    for (const branch of ['then', 'else'] as const) {
      const seen = new Set<string>();
      for (const ref of s[branch]) {
        if (ref.id === s.id)
          src.error(ref.range, `switch \`${clip(s.id)}\` cannot route to itself`);
        else if (!ids.has(ref.id)) unknown(ref, `\`${branch}\` names`);
        else if (seen.has(ref.id))
          src.warn(ref.range, `\`${clip(ref.id)}\` is already in \`${branch}\``);
        else if (branch === 'else' && inThen.has(ref.id)) {
          src.error(
            ref.range,
            `\`${clip(ref.id)}\` is in both \`then\` and \`else\`, so whichever way the switch goes it is skipped`,
          );
        } else {
          seen.add(ref.id);
          if (branch === 'then') inThen.add(ref.id);
          // A routed node runs after its switch: the implicit edge, located at this item.
          const target = byId.get(ref.id) as Draft;
          if (!target.deps.some((x) => x.id === s.id))
            target.deps.push({ id: s.id, range: ref.range, via: { switchId: s.id, branch } });
        }
      }
    }
  }

  const graph: GraphNode[] = drafts.map((d) => ({ id: d.id, needs: d.deps.map((x) => x.id) }));
  for (const cycle of findCycles(graph, 20)) reportCycle(src, cycle, byId);
  for (const d of drafts) {
    if (d.type === 'switch' && d.condition?.ast)
      checkCondition(src, d, d.condition, graph, ids, idList);
  }
}

function reportCycle(src: Source, cycle: string[], byId: Map<string, Draft>): void {
  const first = cycle[0] as string;
  const last = byId.get(cycle[cycle.length - 1] as string) as Draft;
  const candidates = last.deps.filter((x) => x.id === first);
  const closing = candidates.find((x) => !x.via) ?? candidates[0];
  // The cycle came from these very edges: its last node always has one back to the first.
  if (!closing) return;
  // Edges that come from a switch branch rather than `needs` are not visible where they point,
  // so say where they come from.
  const notes: string[] = [];
  cycle.forEach((id, i) => {
    const next = cycle[(i + 1) % cycle.length] as string;
    const deps = (byId.get(id) as Draft).deps.filter((x) => x.id === next);
    const implicit = deps.length > 0 && deps.every((x) => x.via) ? deps[0]?.via : undefined;
    if (implicit)
      notes.push(
        `\`${id}\` is in the \`${implicit.branch}\` of switch \`${implicit.switchId}\`, so it runs after it`,
      );
  });
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  src.error(closing.range, `dependency cycle: ${shortCycle(cycle)}${note}`);
}

/** A long cycle by its ends and its length: thousands of ids help nobody. */
function shortCycle(cycle: string[]): string {
  if (cycle.length <= 12) return formatCycle(cycle.map((id) => clip(id)));
  const head = cycle.slice(0, 5).map((id) => clip(id));
  const tail = cycle.slice(-3).map((id) => clip(id));
  return `${[...head, '…', ...tail, head[0]].join(' -> ')} (${cycle.length} nodes)`;
}

function checkCondition(
  src: Source,
  d: Draft,
  cond: Condition,
  graph: GraphNode[],
  ids: ReadonlySet<string>,
  idList: string[],
): void {
  const upstream = new Set(ancestors(graph, d.id));
  const at = (start: number, end: number): SourceRange =>
    conditionRange(src, cond.scalar, cond.src, start, end);
  for (const p of pathsOf(cond.ast as Expr)) {
    const rootRange = at(p.start, p.start + p.root.length);
    if (p.root === d.id) {
      src.error(rootRange, `switch \`${clip(d.id)}\` cannot read its own output`);
      continue;
    }
    if (!ids.has(p.root)) {
      src.error(
        rootRange,
        `the condition reads \`${clip(p.root)}\`, which is not a node in this workflow${didYouMean(p.root, idList)}`,
      );
      continue;
    }
    if (!upstream.has(p.root)) {
      src.error(
        rootRange,
        `the condition reads \`${clip(p.root)}\`, which does not run before switch \`${clip(d.id)}\`: add it to \`needs\``,
      );
    }
    const field = p.segments[0];
    if (!field || (field.key !== 'outputs' && field.key !== 'status')) {
      const found = field ? ` \`${String(field.key)}\`` : ' nothing';
      const hint =
        field && typeof field.key === 'string' ? didYouMean(field.key, ['outputs', 'status']) : '';
      src.error(
        field ? at(field.start, field.end) : rootRange,
        `after a node id comes \`.outputs\` or \`.status\`, found${found}${hint}`,
      );
    }
  }
}
