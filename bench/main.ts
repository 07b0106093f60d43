/**
 * `npm run bench [-- --quick] [-- --case NAME]`: the benchmark suite. Builds nothing itself (the
 * npm script builds dist/ first), checks for the public tools the baselines need (installing them
 * with apt-get when it can), runs the cases, prints a table and writes results.json and
 * results.md. It never fails on timing: the exit status is non-zero only when a case could not
 * run or broke (a workload crashed, a tool is missing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CASES } from './cases/index';
import { describeMachine } from './lib/machine';
import { ensureTools, toolVersions } from './lib/tools';
import { nowMs } from './lib/stats';
import {
  renderMarkdown,
  renderText,
  summarize,
  type CaseResult,
  type SuiteResult,
} from './lib/report';
import { CaseNotRun, type BenchCase, type CaseContext, type ToolName } from './lib/types';

const repoRoot = path.resolve(__dirname, '..', '..');
const distDir = path.join(repoRoot, 'dist');

const USAGE = `Usage: npm run bench [-- options]

  --quick          short version (CI): fewer repeats, smaller workloads, same targets
  --case NAME      run only this case (repeatable, or comma-separated): ${CASES.map((c) => c.name).join(', ')}
  --out DIR        where results.json and results.md go (default: bench/ for a full run of
                   every case, out/bench/ otherwise, so partial runs never replace the
                   committed results)
  --list           list the cases and exit
`;

interface Options {
  quick: boolean;
  cases: string[];
  out: string | null;
  list: boolean;
}

function parse(argv: string[]): Options {
  const o: Options = { quick: false, cases: [], out: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--list') o.list = true;
    else if (a === '--case' || a.startsWith('--case=')) o.cases.push(...value().split(','));
    else if (a === '--out' || a.startsWith('--out=')) o.out = path.resolve(value());
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/**
 * Formats a results file as the repository's Prettier settings want it, so `npm run lint`
 * (`prettier --check .`) stays green with the results committed. Unformatted without Prettier.
 */
async function pretty(file: string, text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}

/** No machine paths in results that get committed. */
function scrub<T>(value: T): T {
  const tmp = fs.realpathSync(os.tmpdir());
  const text = JSON.stringify(value)
    .split(repoRoot)
    .join('<repo>')
    .split(tmp)
    .join('<tmp>')
    .split(os.tmpdir())
    .join('<tmp>');
  return JSON.parse(text) as T;
}

async function main(): Promise<number> {
  const opts = parse(process.argv.slice(2));
  if (opts.list) {
    for (const c of CASES) process.stdout.write(`${c.name.padEnd(10)} ${c.title}\n`);
    return 0;
  }
  const unknown = opts.cases.filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(', ')}\n\n${USAGE}`);
  const selected: BenchCase[] =
    opts.cases.length > 0 ? CASES.filter((c) => opts.cases.includes(c.name)) : [...CASES];
  const everything = selected.length === CASES.length;

  const t0 = nowMs();
  const log = (m: string): void => {
    process.stderr.write(`[bench ${((nowMs() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}\n`);
  };

  for (const f of ['cli.js', 'runner.js', 'wp-reaper']) {
    if (!fs.existsSync(path.join(distDir, f))) {
      throw new Error(
        `dist/${f} is missing: build first (\`npm run build\`; \`npm run bench\` does)`,
      );
    }
  }
  if (process.platform !== 'linux') {
    throw new Error('the benchmarks need Linux (/proc, the native reaper, GNU time)');
  }

  const needed = new Set<ToolName>(selected.flatMap((c) => c.needs));
  const { tools, missing } = ensureTools(needed, log);
  for (const m of missing) log(`MISSING: ${m}`);

  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const workRoot = path.join(repoRoot, 'out', 'bench', 'work');
  fs.mkdirSync(workRoot, { recursive: true });

  const results: CaseResult[] = [];
  for (const c of selected) {
    const params = opts.quick ? c.params.quick : c.params.full;
    const base = {
      name: c.name,
      title: c.title,
      description: c.description,
      params,
    };
    const lacking = c.needs.filter((t) => tools[t] === null);
    if (lacking.length > 0) {
      results.push({
        ...base,
        status: 'not run',
        error: `missing ${lacking.join(', ')}: ${missing.join('; ')}`,
        wallMs: 0,
        rows: [],
      });
      continue;
    }
    const workDir = fs.mkdtempSync(path.join(workRoot, `${c.name}-`));
    const ctx: CaseContext = {
      repoRoot,
      distDir,
      cliPath: path.join(distDir, 'cli.js'),
      workDir,
      quick: opts.quick,
      tools,
      log: (m) => log(`${c.name}: ${m}`),
    };
    log(`${c.name}: ${c.title}`);
    const started = nowMs();
    try {
      const rows = await c.run(ctx, params);
      results.push({ ...base, status: 'ok', error: null, wallMs: nowMs() - started, rows });
    } catch (err) {
      const notRun = err instanceof CaseNotRun;
      const message = notRun
        ? err.message
        : err instanceof Error
          ? (err.stack ?? err.message)
          : String(err);
      log(`${c.name}: ${notRun ? 'NOT RUN' : 'BROKE'}: ${message}`);
      results.push({
        ...base,
        status: notRun ? 'not run' : 'error',
        error: message,
        wallMs: nowMs() - started,
        rows: [],
      });
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  machine.loadAtEnd = os.loadavg()[0] ?? null;

  const args = process.argv.slice(2).join(' ');
  const suite: SuiteResult = scrub({
    schemaVersion: 1,
    suite: 'workflow-profiler bench',
    mode: opts.quick ? 'quick' : 'full',
    command: `npm run bench${args ? ` -- ${args}` : ''}`,
    startedAt,
    wallMs: nowMs() - t0,
    machine,
    tools: toolVersions(tools),
    summary: summarize(results),
    cases: results,
  });

  process.stdout.write('\n' + renderText(suite));
  const outDir =
    opts.out ??
    (everything && !opts.quick
      ? path.join(repoRoot, 'bench')
      : path.join(repoRoot, 'out', 'bench'));
  fs.mkdirSync(outDir, { recursive: true });
  const jsonFile = path.join(outDir, 'results.json');
  const mdFile = path.join(outDir, 'results.md');
  fs.writeFileSync(jsonFile, await pretty(jsonFile, JSON.stringify(suite, null, 2) + '\n'));
  fs.writeFileSync(mdFile, await pretty(mdFile, renderMarkdown(suite)));
  const shown = path.relative(process.cwd(), outDir) || '.';
  process.stdout.write(
    `results: ${path.join(shown, 'results.json')}, ${path.join(shown, 'results.md')}\n`,
  );
  return suite.summary.caseErrors > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
