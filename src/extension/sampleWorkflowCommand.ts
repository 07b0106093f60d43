/**
 * "Create a Sample Workflow": writes the sample (src/workflow/sampleWorkflow.ts) into a
 * workspace folder under a name no file has yet, and opens it. It never overwrites: each name is
 * tried with an exclusive create, so a file that appears meanwhile is skipped too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workflowBaseName } from '../workflow/discover';
import { sampleFileName, sampleWorkflowText } from '../workflow/sampleWorkflow';
import { uriFromArg } from './workflowUri';

/** Past this many samples in one folder something is wrong; stop rather than loop on. */
const MAX_SAMPLES = 100;

/** The folder to write into: the one given, the only workspace folder, or the one picked. */
async function targetFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = uriFromArg(arg);
  if (given) return given;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const open = 'Open Folder';
    const choice = await vscode.window.showInformationMessage(
      'A sample workflow is written into a workspace folder: open a folder first.',
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
    return undefined;
  }
  if (folders.length === 1) return folders[0]?.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({
    placeHolder: 'Write the sample workflow into which folder?',
  });
  return picked?.uri;
}

/** Writes the sample under the first free name; undefined if every name up to the cap is taken. */
export async function writeSampleWorkflow(dir: string): Promise<string | undefined> {
  await fs.promises.mkdir(dir, { recursive: true });
  for (let i = 1; i <= MAX_SAMPLES; i++) {
    const file = path.join(dir, sampleFileName(i));
    try {
      // 'wx' fails when the file exists: the check and the write are one step.
      await fs.promises.writeFile(file, sampleWorkflowText(workflowBaseName(file)), { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return undefined;
}

/**
 * The command: resolves with the new file's Uri once it is written and shown, or undefined when
 * nothing was written. `onCreated` runs only after the file exists.
 */
export async function createSampleWorkflow(
  arg: unknown,
  onCreated: (file: vscode.Uri) => void,
): Promise<vscode.Uri | undefined> {
  const folder = await targetFolder(arg);
  if (!folder) return undefined;
  const file = await writeSampleWorkflow(folder.fsPath);
  if (!file) {
    void vscode.window.showWarningMessage(
      `${folder.fsPath} already has ${MAX_SAMPLES} sample workflows; nothing was written.`,
    );
    return undefined;
  }
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  onCreated(uri);
  return uri;
}
