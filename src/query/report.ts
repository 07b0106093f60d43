/** A run's Markdown report: the stored report.md of a finished run, else one rendered now. */
import * as fs from 'node:fs';
import type { RunRecord } from '../model/run';
import { renderReport } from '../report/markdown';
import type { RunSource } from './runSource';

export type RunReport = { kind: 'stored'; file: string } | { kind: 'rendered'; text: string };

/**
 * A running run's report.md (if any) is stale and a finished run may lack one (its runner died,
 * or it predates reports): those are rendered from the record and its samples.
 */
export async function runReport(source: RunSource, run: RunRecord): Promise<RunReport> {
  const file = source.reportPath(run.id);
  if (run.status !== 'running' && (await isFile(file))) return { kind: 'stored', file };
  return { kind: 'rendered', text: renderReport(run, await source.readSamples(run.id)) };
}

/** The report's Markdown text, whichever way it came. */
export async function runReportText(source: RunSource, run: RunRecord): Promise<string> {
  const report = await runReport(source, run);
  return report.kind === 'stored' ? fs.promises.readFile(report.file, 'utf8') : report.text;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}
