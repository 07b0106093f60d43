/**
 * Workflow files (`*.workflow.yaml|yml|json`) to a validated WorkflowDef, or to problems that
 * each point at the exact key or value at fault (1-based line:col, end exclusive).
 *
 * JSON files go through the same YAML parser (JSON is YAML 1.2), so they get positions too.
 * Errors make `workflow` null, so a broken file never starts a run; warnings (harmless
 * things, like a key the node's type ignores) do not.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { readWorkflow } from './document';
import { parsePlainWorkflowYaml } from './fastYaml';
import { Source } from './yamlSource';
import type { WorkflowDef, WorkflowProblem } from './types';

// The parser's public API stays here, whichever module holds each part.
export { DEFAULT_MAX_PARALLEL, TOP_KEYS } from './document';
export { NODE_ID, NODE_KEYS } from './keys';
export { canonicalJson, definitionHash } from './definitionHash';

export interface ParseOutcome {
  workflow: WorkflowDef | null;
  problems: WorkflowProblem[];
}

export function parseWorkflowText(text: string, file: string): ParseOutcome {
  // Editors hide a byte-order mark, so columns on line 1 must not count it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // The plainest shape in one pass (big generated files); anything else through the yaml package.
  const { doc, lines } = parsePlainWorkflowYaml(body) ?? parseYaml(body);
  const src = new Source(file, body, lines, doc);
  const errorAt = new Set<number>();
  for (const e of doc.errors) {
    // A second error at the same spot is the parser stumbling over the first one.
    if (errorAt.has(e.pos[0])) continue;
    errorAt.add(e.pos[0]);
    src.error(src.span(e.pos[0], e.pos[1]), `YAML syntax error: ${firstLine(e.message)}`);
  }
  for (const w of doc.warnings)
    src.warn(src.span(w.pos[0], w.pos[1]), `YAML: ${firstLine(w.message)}`);
  // After a syntax error the tree is a guess; checking it would mostly report noise.
  const workflow = doc.errors.length > 0 ? null : readWorkflow(src, file);
  return finish(src, workflow);
}

/**
 * The last few files parsed, with the text each was parsed from. One CLI run asks for the same
 * file three times (the check before the run, the memory forecast, the run itself); a big file
 * takes a noticeable while each time. Only the same text gets the same outcome, which callers
 * treat as read-only; the bound keeps a long-lived process from holding every file it ever read.
 */
const RECENT_FILES = 8;
const recent = new Map<string, { text: string; outcome: ParseOutcome }>();

function parseYaml(body: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(body, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return { doc, lines };
}

/** Reads and parses a file; a file that cannot be read is one problem at 1:1. */
export async function parseWorkflowFile(file: string): Promise<ParseOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'workflow file not found'
        : e.code === 'EISDIR'
          ? 'this is a directory, not a workflow file'
          : e.code === 'EACCES' || e.code === 'EPERM'
            ? 'cannot read the workflow file: permission denied'
            : `cannot read the workflow file: ${e.message}`;
    const at = { line: 1, col: 1 };
    return {
      workflow: null,
      problems: [{ file, message: why, range: { start: at, end: at }, severity: 'error' }],
    };
  }
  const kept = recent.get(file);
  if (kept?.text === text) return kept.outcome;
  const outcome = parseWorkflowText(text, file);
  recent.delete(file);
  recent.set(file, { text, outcome });
  for (const oldest of recent.keys()) {
    if (recent.size <= RECENT_FILES) break;
    recent.delete(oldest);
  }
  return outcome;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function finish(src: Source, workflow: WorkflowDef | null): ParseOutcome {
  // One problem per place and message (merged anchors can surface the same one twice), in
  // file order so the CLI prints them top to bottom.
  const seen = new Set<string>();
  const problems = src.problems.filter((p) => {
    const k = `${p.range.start.line}:${p.range.start.col}:${p.severity}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  problems.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.col - b.range.start.col,
  );
  const failed = problems.some((p) => p.severity === 'error');
  return { workflow: failed ? null : workflow, problems };
}
