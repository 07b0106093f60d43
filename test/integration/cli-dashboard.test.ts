/**
 * `workflow-profiler dashboard`: a stored run (written through the real run store) becomes one
 * self-contained HTML file holding the bundle, the run, its samples and its workflow's custom
 * metric history.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DashboardSnapshot } from '../../src/protocol/dashboard';
import { RunStore } from '../../src/store/runStore';
import { runCli, tempWorkspace } from '../helpers/cli';
import { hostileEtl, XSS } from '../helpers/chartFixtures';
import { distDir } from '../helpers/paths';

async function storeWithRuns(): Promise<{ dir: string; ids: string[] }> {
  const dir = tempWorkspace({});
  const store = new RunStore(path.join(dir, 'runs'));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { run, samples } = hostileEtl();
    run.id = `2025010${i + 1}-120000-000-abc${i}`;
    run.startedAt = `2025-01-0${i + 1}T12:00:00.000Z`;
    for (const t of run.tasks) if (t.nodeId === 'transform') t.custom = { rows_out: 100 + i };
    store.createRun(run);
    const w = store.samplesWriter(run.id);
    w.append(samples);
    ids.push(run.id);
    await w.close();
  }
  return { dir, ids };
}

test('dashboard writes one HTML file atomically and prints its path', async () => {
  assert.ok(fs.existsSync(path.join(distDir, 'webview', 'dashboard.js')), 'npm run build first');
  const { dir, ids } = await storeWithRuns();
  const file = path.join(dir, 'out', 'dash.html');
  fs.mkdirSync(path.dirname(file));
  const r = await runCli(
    ['dashboard', (ids[1] as string).slice(0, 9), '-o', file, '--store', 'runs'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), file);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['dash.html'], 'no temporary file left');
  const html = fs.readFileSync(file, 'utf8');
  assert.ok(
    html.includes(
      fs.readFileSync(path.join(distDir, 'webview', 'dashboard.js'), 'utf8').slice(0, 200),
    ),
  );
  assert.doesNotMatch(html, /<img src=x/);
  const json =
    /<script type="application\/json" id="wp-snapshot">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
  const snap = JSON.parse(json) as DashboardSnapshot;
  assert.equal(snap.run.id, ids[1]);
  assert.ok(snap.samples.length > 0, 'samples from samples.ndjson');
  assert.ok(snap.run.tasks.some((t) => t.nodeId === XSS));
  assert.equal(snap.live, false);
  // History: the same workflow file's runs, oldest first, this one included.
  const runs = [...new Set(snap.customHistory.map((p) => p.runId))];
  assert.deepEqual(runs, ids);
  assert.deepEqual(
    snap.customHistory.filter((p) => p.metric === 'rows_out').map((p) => p.value),
    [100, 101, 102],
  );
});

test('dashboard -o - writes the HTML to stdout; an unknown run is an error', async () => {
  const { dir, ids } = await storeWithRuns();
  const r = await runCli(['dashboard', ids[0] as string, '-o', '-', '--store', 'runs'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<!DOCTYPE html>/);
  const bad = await runCli(['dashboard', 'nope', '--store', 'runs'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no run "nope"/);
});
