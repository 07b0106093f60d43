/** Exporting a run for other tools, written the same way by the CLI and the editor. */
import type { RunRecord } from '../model/run';
import { toChromeTrace, toCsv, toJson } from '../report/export';
import { writeFileAtomic } from '../store/atomicWrite';
import type { RunSource } from './runSource';

export type ExportFormat = 'json' | 'csv' | 'chrome-trace';

export interface ExportFormatInfo {
  id: ExportFormat;
  label: string;
  description: string;
  /** File name extension, without the dot. */
  ext: string;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { id: 'json', label: 'JSON', description: 'the run record as stored', ext: 'json' },
  { id: 'csv', label: 'CSV', description: 'one row per task', ext: 'csv' },
  {
    id: 'chrome-trace',
    label: 'Chrome / Perfetto trace',
    description: 'open in ui.perfetto.dev or chrome://tracing',
    ext: 'trace.json',
  },
];

export function isExportFormat(value: unknown): value is ExportFormat {
  return EXPORT_FORMATS.some((f) => f.id === value);
}

/** The run in `format`; only the trace needs the samples, so only it reads them. */
export async function exportText(
  source: RunSource,
  run: RunRecord,
  format: ExportFormat,
): Promise<string> {
  switch (format) {
    case 'csv':
      return toCsv(run);
    case 'chrome-trace':
      return JSON.stringify(toChromeTrace(run, await source.readSamples(run.id)));
    case 'json':
      return toJson(run);
  }
}

/** Writes the export atomically: a reader never sees half a file. */
export async function writeExport(
  source: RunSource,
  run: RunRecord,
  format: ExportFormat,
  file: string,
): Promise<void> {
  writeFileAtomic(file, await exportText(source, run, format));
}
