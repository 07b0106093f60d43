/**
 * What a workflow asks of a Slurm cluster: the top-level `slurm:` block (defaults for every job)
 * and a node's `resources:`. Each value is checked where it is written, so a bad memory size or
 * time points at its own line and column.
 */
import { clip } from './quote';
import { didYouMean } from './suggest';
import { formatDuration, parseDuration } from './duration';
import { integerValue, stringList, stringValue } from './values';
import { describe, isMap, isScalar, type Entry, type Source } from './yamlSource';
import type { NodeResources, SlurmDefaults } from './types';

export const SLURM_KEYS: readonly string[] = ['partition', 'account', 'qos', 'time', 'extraArgs'];
export const RESOURCE_KEYS: readonly string[] = ['cpus', 'memory', 'time', 'gpus', 'partition'];

/** Slurm's own memory units (`--mem=512M`) are binary: K = 1024 bytes. */
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};
const MEMORY = /^(\d+(?:\.\d+)?)\s*([KMGT])(?:i?B)?$/i;

/** A memory size like `512M` or `4G`, in bytes; an error in words when it is not one. */
export function parseMemory(text: string): { bytes: number } | { error: string } {
  const m = MEMORY.exec(text.trim());
  if (!m) return { error: `\`${clip(text)}\` is not a memory size: write e.g. 512M, 4G or 1.5G` };
  const bytes = Math.round(Number(m[1]) * (MEMORY_UNITS[(m[2] ?? 'M').toUpperCase()] ?? 0));
  if (bytes <= 0) return { error: 'a memory size must be more than 0' };
  return { bytes };
}

/** The top-level `slurm:` block. */
export function readSlurmDefaults(src: Source, e: Entry): SlurmDefaults | undefined {
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `\`slurm\` must be a map (${SLURM_KEYS.map((k) => `\`${k}\``).join(', ')}), found ${describe(e.value)}`,
    );
    return undefined;
  }
  const out: SlurmDefaults = { extraArgs: [] };
  for (const x of src.entries(e.value, 'key')) {
    switch (x.key) {
      case 'partition':
      case 'account':
      case 'qos': {
        const v = stringValue(src, x, { nonEmpty: true });
        if (v !== undefined) out[x.key] = v;
        break;
      }
      case 'time': {
        const v = timeLimit(src, x);
        if (v !== undefined) out.timeMs = v;
        break;
      }
      case 'extraArgs': {
        const refs = stringList(src, x, { coerce: true, single: false });
        for (const r of refs ?? []) {
          // Our script sets these itself: a second value would silently win or lose.
          if (/^--?(o|e|output|error|parsable|wrap|job-name|J)(=|$)/.test(r.id))
            src.error(r.range, `\`${clip(r.id)}\` is set by the runtime for every job`);
          else out.extraArgs.push(r.id);
        }
        break;
      }
      default:
        src.error(
          x.keyRange,
          `unknown key \`${clip(x.key)}\` in \`slurm\`${didYouMean(x.key, SLURM_KEYS)}; it has ${SLURM_KEYS.map((k) => `\`${k}\``).join(', ')}`,
        );
    }
  }
  return out;
}

/** A node's `resources:`. */
export function readResources(src: Source, e: Entry): NodeResources | undefined {
  if (!isMap(e.value)) {
    src.error(
      e.valueRange,
      `\`resources\` must be a map (${RESOURCE_KEYS.map((k) => `\`${k}\``).join(', ')}), found ${describe(e.value)}`,
    );
    return undefined;
  }
  const out: NodeResources = {};
  for (const x of src.entries(e.value, 'key')) {
    switch (x.key) {
      case 'cpus':
      case 'gpus': {
        const v = integerValue(src, x, x.key === 'cpus' ? 1 : 0, 4096);
        if (v !== undefined) out[x.key] = v;
        break;
      }
      case 'memory': {
        const raw = isScalar(x.value) ? x.value.value : undefined;
        if (typeof raw !== 'string') {
          src.error(
            x.valueRange,
            `\`memory\` must be a size like 512M or 4G, found ${describe(x.value)}`,
          );
          break;
        }
        const r = parseMemory(raw);
        if ('error' in r) src.error(x.valueRange, `bad \`memory\`: ${r.error}`);
        else out.memoryBytes = r.bytes;
        break;
      }
      case 'time': {
        const v = timeLimit(src, x);
        if (v !== undefined) out.timeMs = v;
        break;
      }
      case 'partition': {
        const v = stringValue(src, x, { nonEmpty: true });
        if (v !== undefined) out.partition = v;
        break;
      }
      default:
        src.error(
          x.keyRange,
          `unknown key \`${clip(x.key)}\` in \`resources\`${didYouMean(x.key, RESOURCE_KEYS)}; it has ${RESOURCE_KEYS.map((k) => `\`${k}\``).join(', ')}`,
        );
    }
  }
  return out;
}

function timeLimit(src: Source, e: Entry): number | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'number' && typeof v !== 'string') {
    src.error(
      e.valueRange,
      `\`time\` must be a duration like 30s, 10m or 1h, found ${describe(e.value)}`,
    );
    return undefined;
  }
  const r = parseDuration(v);
  if ('error' in r) {
    src.error(e.valueRange, `bad \`time\`: ${r.error}`);
    return undefined;
  }
  if (r.ms <= 0) {
    src.error(
      e.valueRange,
      `\`time\` must be longer than 0 (at most ${formatDuration(2 ** 31 - 1)})`,
    );
    return undefined;
  }
  return r.ms;
}
