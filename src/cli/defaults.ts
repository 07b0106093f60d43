/** Defaults every command shares; the help (help.ts) prints them from here. */

/** The run store when --store is not given, relative to the current folder. */
export const DEFAULT_STORE = '.workflow-runs';
/** How often each node's tree is sampled, as the editor's `samplingInterval` default. */
export const DEFAULT_INTERVAL_MS = 100;
