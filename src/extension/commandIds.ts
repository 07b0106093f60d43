/**
 * Every command the extension contributes, each id written once. package.json must contribute
 * exactly these (test/unit/commandTable.test.ts checks it).
 */
export const COMMANDS = {
  run: 'workflowProfiler.run',
  profile: 'workflowProfiler.profile',
  profileRepeatedly: 'workflowProfiler.profileRepeatedly',
  cancel: 'workflowProfiler.cancel',
  openDashboard: 'workflowProfiler.openDashboard',
  openReport: 'workflowProfiler.openReport',
  compareRuns: 'workflowProfiler.compareRuns',
  exportRun: 'workflowProfiler.exportRun',
  deleteRun: 'workflowProfiler.deleteRun',
  refresh: 'workflowProfiler.refresh',
  createSampleWorkflow: 'workflowProfiler.createSampleWorkflow',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const COMMAND_IDS: readonly CommandId[] = Object.values(COMMANDS);
