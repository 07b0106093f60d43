/**
 * The case registry: `npm run bench` runs these in this order; `--case NAME` picks some.
 *
 * To add a case (say, the editor's activation time in a real VS Code, or the dashboard's render
 * time): write bench/cases/NAME.ts exporting `defineCase({...})` (see bench/lib/types.ts for the
 * contract and bench/cases/sizes.ts for the smallest example), then list it here. Its rows land
 * in the printed table, bench/results.json and bench/results.md like every other case's.
 */
import type { BenchCase } from '../lib/types';
import accuracy from './accuracy';
import collector from './collector';
import runner from './runner';
import storage from './storage';
import sizes from './sizes';

export const CASES: readonly BenchCase[] = [accuracy, collector, runner, storage, sizes];
