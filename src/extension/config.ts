/** The extension's settings (`workflowProfiler.*`), read fresh each time so changes apply at once. */
import * as vscode from 'vscode';
import type { RunLimits } from '../workflow/limits';

export type NodeOutputTarget = 'outputChannel' | 'terminal' | 'none';

export interface ProfilerConfig {
  samplingIntervalMs: number;
  defaultRuntime: 'fromFile' | 'local' | 'parallel';
  maxParallel: number;
  retention: number;
  codeLensEnabled: boolean;
  nodeOutput: NodeOutputTarget;
  /** More names whose values are secrets (besides those named like secrets). */
  redact: string[];
  /** Cap of each node's log, bytes (the setting is in MiB). */
  maxLogBytes: number;
  limits: RunLimits;
  /** `workflowProfiler.memoryLimit` as typed (`2G`, `512M`…); '' for no cap. Parsed where used. */
  memoryLimit: string;
  /** `workflowProfiler.slurm.sharedCheck`: runtime slurm checks the run folder with a first job. */
  slurmSharedCheck: boolean;
}

export function readConfig(scope?: vscode.ConfigurationScope): ProfilerConfig {
  const c = vscode.workspace.getConfiguration('workflowProfiler', scope);
  return {
    samplingIntervalMs: Math.max(10, c.get<number>('samplingInterval', 100)),
    defaultRuntime: c.get<'fromFile' | 'local' | 'parallel'>('defaultRuntime', 'fromFile'),
    maxParallel: Math.max(0, c.get<number>('maxParallel', 0)),
    retention: Math.max(0, c.get<number>('retention', 50)),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    nodeOutput: c.get<NodeOutputTarget>('nodeOutput', 'outputChannel'),
    redact: stringList(c.get<unknown>('redact', [])),
    maxLogBytes: Math.max(1, c.get<number>('limits.maxLogSize', 64)) * 1024 * 1024,
    limits: {
      maxOutputBytes: positive(c.get<number>('limits.maxOutputSizeMiB')) * 1024 * 1024 || undefined,
      maxOutputDepth: positive(c.get<number>('limits.maxOutputDepth')) || undefined,
      maxNodes: positive(c.get<number>('limits.maxNodes')) || undefined,
    },
    memoryLimit: sizeText(c.get<unknown>('memoryLimit', '')),
    slurmSharedCheck: c.get<boolean>('slurm.sharedCheck', true),
  };
}

/** A size setting as text: a hand-edited settings.json may hold a number of bytes, or anything. */
function sizeText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.trim();
  // Neither: parsed as is, so the error names what was found.
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** A hand-edited settings.json may hold anything: only the strings of an array count. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A whole number of at least 1, or 0 (the default applies) for anything else. */
function positive(v: number | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : 0;
}
