import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the built assets (runner.js, the native reaper) live. In the bundle this file's code runs
 * from `dist/`; under the unit tests it runs from `out/src/runtime/`, three levels below the repo.
 */
export function distDir(): string {
  const fromEnv = process.env['WORKFLOW_PROFILER_DIST'];
  if (fromEnv) return fromEnv;
  const candidates = [__dirname, path.resolve(__dirname, '../../../dist')];
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'runner.js'))) return c;
  }
  return __dirname;
}
