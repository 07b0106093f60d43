/**
 * The bench's extension point: a case is a module exporting a `BenchCase`, listed in
 * bench/cases/index.ts. A case measures something in this invocation, beside a baseline measured
 * in the same invocation, and returns rows; the suite prints and stores them. A case never fails
 * on timing: it throws only when it cannot measure (a workload crashed, a tool is missing).
 */

/** Units a figure can carry; the renderer picks readable multiples (ms → s, B → MiB). */
export type Unit = 'us' | 'ms' | 's' | 'B' | '%core' | 'count' | 'x';

export interface Figure {
  value: number | null;
  unit: Unit;
}

/** How "ours" relates to its reference. */
export interface Comparison {
  /**
   * `error`: (ours − reference) / reference, per cent; `ratio`: ours / reference;
   * `diff`: ours − reference, in the row's unit (percentage points for `%core`).
   */
  kind: 'error' | 'ratio' | 'diff';
  value: number | null;
  /** What the reference was, e.g. "truth", "GNU time", "make -j1". */
  against: string;
}

export interface Target {
  /** As the issue states it, e.g. "≤ 2 %" or "≤ 1.5 × make". */
  text: string;
  met: boolean;
}

export interface Row {
  /** What was measured, e.g. "2 s CPU burn · CPU time". */
  measure: string;
  ours: Figure;
  /** The baseline measured beside it (GNU time, make, a naive implementation…). */
  baseline: { label: string; figure: Figure } | null;
  /** The workload's own report of itself (ground truth), where it has one. */
  truth: Figure | null;
  /** Ours against truth (or, without truth, against the baseline). */
  compare: Comparison | null;
  /** The baseline against truth, where both exist. */
  baselineCompare: Comparison | null;
  target: Target | null;
  note?: string;
  /** Raw figures behind the row (every repeat, every run), kept in results.json only. */
  detail?: unknown;
}

/** Parameters are plain JSON, so results.json can say exactly what was run. */
export type Params = Record<string, number | string | boolean | number[]>;

export interface Tools {
  /** GNU time (`/usr/bin/time`, Debian package `time`), or null when missing. */
  gnuTime: string | null;
  /** GNU make, or null when missing. */
  make: string | null;
  /** A C compiler for the ground-truth fixtures, or null when missing. */
  cc: string | null;
}

export type ToolName = keyof Tools;

export interface CaseContext {
  repoRoot: string;
  /** The built product: dist/cli.js, dist/runner.js, dist/wp-reaper. */
  distDir: string;
  cliPath: string;
  /** A fresh directory on a real disk (not tmpfs) for this case, removed afterwards. */
  workDir: string;
  quick: boolean;
  tools: Tools;
  /** Progress for the person watching; not part of the results. */
  log(message: string): void;
}

export interface BenchCase<P extends Params = Params> {
  /** Selects the case: `npm run bench -- --case NAME`. */
  name: string;
  title: string;
  /** One paragraph: what is measured, against what, and the targets. */
  description: string;
  /** Tools the case cannot run without; missing ones are installed when possible. */
  needs: ToolName[];
  params: { quick: P; full: P };
  run(ctx: CaseContext, params: P): Promise<Row[]>;
}

/**
 * Thrown by a case whose own prerequisite is missing or could not be set up (no Chromium, VS Code
 * could not be installed): the case is reported as "not run" with this message, as a missing tool
 * is, rather than as broken. Either way the suite exits 1.
 */
export class CaseNotRun extends Error {}

/** Lets a registry hold cases with different parameter types. */
export function defineCase<P extends Params>(c: BenchCase<P>): BenchCase {
  return c;
}
