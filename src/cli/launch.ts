/**
 * dist/cli.js: loads the CLI bundle (dist/cli-main.js) with a V8 code cache, so a command does not
 * parse and compile half a megabyte of JavaScript on every start (Node 20 has no
 * module.enableCompileCache). The cache is optional: without a writable cache folder, with a cache
 * V8 rejects (another Node, another bundle) or with WORKFLOW_PROFILER_CODE_CACHE=off, the bundle
 * loads as plain code, as it would without this file. Imports nothing of the product but the
 * phase trace, so it stays tiny.
 */
import * as fs from 'node:fs';
import { Module, createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { tracePhase } from '../runtime/phaseTrace';

const bundle = path.join(__dirname, 'cli-main.js');

/** Where the cache of this bundle lives (one file per installed bundle), or null for none. */
function cacheFileOf(): string | null {
  if (process.env['WORKFLOW_PROFILER_CODE_CACHE'] === 'off') return null;
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  if (!path.isAbsolute(base)) return null;
  return path.join(base, 'workflow-profiler', `cli-${fnv1a(bundle)}.v8cache`);
}

/** A short name for the bundle's path (FNV-1a, 32 bits): node:crypto would cost its own load. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * What a cache must have been made from: this bundle as it is now, this Node. V8 checks its own
 * version, flags and the source's length itself; the bundle's size and mtime catch a rebuild.
 */
function keyOf(stat: fs.Stats): string {
  return `${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs}\n`;
}

function readCache(file: string | null, key: string): Buffer | undefined {
  if (file === null) return undefined;
  try {
    const data = fs.readFileSync(file);
    const head = Buffer.from(key);
    return data.subarray(0, head.length).equals(head) ? data.subarray(head.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place: two CLIs starting at once never read a torn file. */
function writeCache(file: string, key: string, script: vm.Script): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(key), script.createCachedData()]));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only home, a full disk: the next start compiles again, as without a cache.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
  }
}

const stat = fs.statSync(bundle);
const source = fs.readFileSync(bundle, 'utf8');
const cacheFile = cacheFileOf();
const key = keyOf(stat);
const cachedData = readCache(cacheFile, key);
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const rejected = script.cachedDataRejected === true;
if (cacheFile !== null && (cachedData === undefined || rejected)) {
  // At exit, so the cache also holds the functions this command compiled while it ran.
  process.once('exit', () => writeCache(cacheFile, key, script));
}
tracePhase(
  `cli: bundle compiled (code cache ${cacheFile === null ? 'off' : cachedData === undefined ? 'absent, writing it at exit' : rejected ? 'rejected, writing it again at exit' : 'used'})`,
);
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;
const mainModule = { exports: {} };
run(mainModule.exports, createRequire(bundle), mainModule, bundle, path.dirname(bundle));
