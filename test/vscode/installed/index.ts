/**
 * Extension-host test entry of the installed-package suite (scripts/vscode/run-tests.mjs
 * --install): the suites of this folder, driving the Workflow Profiler that VS Code installed
 * from the linux-x64 .vsix, not the repository's.
 */
import { runSuiteDir } from '../runSuiteDir';

export function run(): Promise<void> {
  return runSuiteDir(__dirname);
}
