/**
 * The comparison's Markdown report in VS Code's preview: the text `compare --markdown` prints
 * (src/report/stats/renderSides.ts), written to the scratch folder under a name of its two sides.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SidesComparison } from '../query/compareSides';
import { compareReportMarkdown } from '../report/stats/renderSides';
import { writeFileAtomic } from '../store/atomicWrite';

export async function showCompareReport(
  scratchDir: string,
  c: SidesComparison,
): Promise<vscode.Uri> {
  const key = createHash('sha256')
    .update(`${c.baseline.spec}\u0000${c.candidate.spec}`)
    .digest('hex')
    .slice(0, 12);
  const file = path.join(scratchDir, `compare-${key}.md`);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  writeFileAtomic(file, compareReportMarkdown(c.result, c));
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
