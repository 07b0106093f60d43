/**
 * The ids activate() registers providers under, in a module of their own so the small activation
 * bundle need not load the providers' modules to name them. package.json contributes the same ids.
 */
export const RUNS_VIEW_ID = 'workflowProfiler.runs';
export const WORKFLOWS_VIEW_ID = 'workflowProfiler.workflows';
export const RUN_GLANCE_VIEW_ID = 'workflowProfiler.runGlance';
export const DASHBOARD_VIEW_TYPE = 'workflowProfiler.dashboard';
export const COMPARE_VIEW_TYPE = 'workflowProfiler.compare';
/** The `type` of the tasks the task provider contributes. */
export const TASK_TYPE = 'workflow';
