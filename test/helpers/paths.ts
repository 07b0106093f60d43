import * as path from 'node:path';

/** Tests are compiled to out/test/...; the repository root is found from there. */
export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const distDir = path.join(repoRoot, 'dist');
export const cliPath = path.join(distDir, 'cli.js');
