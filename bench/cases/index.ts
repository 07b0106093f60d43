/**
 * The case registry: `npm run bench` runs these in this order; `--case NAME` picks some.
 *
 * To add a case: write bench/cases/NAME.ts exporting `defineCase({...})` (see bench/lib/types.ts
 * for the contract and bench/cases/sizes.ts for the smallest example), then list it here. Its rows
 * land in the printed table, bench/results.json and bench/results.md like every other case's. The
 * editor's cases show the two ways to reach the editor side: render.ts drives Chromium through the
 * browser tests' harness, activation.ts a real VS Code through scripts/vscode/run-tests.mjs.
 */
import type { BenchCase } from '../lib/types';
import accuracy from './accuracy';
import collector from './collector';
import runner from './runner';
import startup from './startup';
import storage from './storage';
import sizes from './sizes';
import render from './render';
import activation from './activation';
import extensionHost from './extensionHost';
import memory from './memory';

export const CASES: readonly BenchCase[] = [
  accuracy,
  collector,
  runner,
  startup,
  memory,
  storage,
  render,
  activation,
  extensionHost,
  sizes,
];
