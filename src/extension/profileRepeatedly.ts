/**
 * "Profile Repeatedly…": asks how many runs (1 to 100, checked as typed), profiles the workflow
 * that many times as one series (RunController.runRepeatedly, the engine path of the CLI's
 * `run --repeat N`), then offers the last run's dashboard or a comparison with the previous series.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { previousSeriesId } from '../query/seriesHistory';
import type { RunSource } from '../query/runSource';
import { COMMANDS } from './commandIds';
import { parseRepeatCount, repeatCountProblem } from './repeatCount';
import type { RunController, SeriesCommandResult } from './runController';
import { resolveWorkflowUri } from './workflowUri';

export const OPEN_LAST_DASHBOARD = 'Open Dashboard';
export const COMPARE_PREVIOUS_SERIES = 'Compare with Previous Series';

/** The end-of-series notification as shown, and a way to press a button (tests cannot click). */
export interface SeriesNotice {
  series: string;
  message: string;
  items: string[];
  choose(item: string | undefined): Promise<void>;
}

export interface ProfileRepeatedlyDeps {
  controller: RunController;
  runs: RunSource;
  scratchDir: () => string;
  notices: vscode.EventEmitter<SeriesNotice>;
}

/** `options.count` skips the input box (other extensions, tests), and is checked the same way. */
export async function profileRepeatedly(
  deps: ProfileRepeatedlyDeps,
  arg?: unknown,
  options?: unknown,
): Promise<SeriesCommandResult | undefined> {
  const uri = await resolveWorkflowUri(arg);
  if (!uri) return undefined;
  const count = await askCount(options);
  if (count === null) return undefined;
  const result = await deps.controller.runRepeatedly(uri, count);
  if (result) await offerNext(deps, uri.fsPath, result);
  return result;
}

async function askCount(options: unknown): Promise<number | null> {
  const given =
    typeof options === 'object' && options !== null && 'count' in options
      ? options.count
      : undefined;
  if (given !== undefined) {
    const text = typeof given === 'number' || typeof given === 'string' ? String(given) : '';
    const n = parseRepeatCount(text);
    if (n === null)
      void vscode.window.showErrorMessage(
        `Workflow Profiler: Profile Repeatedly: ${repeatCountProblem(text) ?? ''}`,
      );
    return n;
  }
  const text = await vscode.window.showInputBox({
    title: 'Profile Repeatedly',
    prompt: 'How many runs? They form one series, compared with statistics (1 to 100).',
    value: '5',
    validateInput: repeatCountProblem,
  });
  return text === undefined ? null : parseRepeatCount(text);
}

async function offerNext(
  deps: ProfileRepeatedlyDeps,
  file: string,
  result: SeriesCommandResult,
): Promise<void> {
  const last = [...result.runs].reverse().find((r) => r.runId !== null)?.runId ?? null;
  const previous = await previousSeriesId(deps.runs, file, result.series);
  const items = [
    ...(last !== null ? [OPEN_LAST_DASHBOARD] : []),
    ...(previous !== null ? [COMPARE_PREVIOUS_SERIES] : []),
  ];
  const n = result.runs.length;
  const message = `${path.basename(file)}: ${n} run${n === 1 ? '' : 's'} as series ${result.series}, ${result.status}.${previous === null ? ' No earlier series of this workflow to compare with.' : ''}`;
  const choose = async (item: string | undefined): Promise<void> => {
    if (item === OPEN_LAST_DASHBOARD && last !== null)
      await vscode.commands.executeCommand(COMMANDS.openDashboard, last);
    // The Compare panel on the two series, with the statistics of `compare`.
    if (item === COMPARE_PREVIOUS_SERIES && previous !== null)
      await vscode.commands.executeCommand(COMMANDS.compareRuns, {
        baseline: previous,
        candidate: result.series,
      });
  };
  const show =
    result.status === 'completed'
      ? vscode.window.showInformationMessage
      : vscode.window.showWarningMessage;
  void show(message, ...items)
    .then(choose)
    .then(undefined, (e: unknown) =>
      vscode.window.showErrorMessage(`Workflow Profiler: ${(e as Error).message}`),
    );
  deps.notices.fire({ series: result.series, message, items, choose });
}
