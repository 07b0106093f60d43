/** The CLI's help topics, usage-error lines, `latest~N` references and the live progress line. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { COMMAND_HELP, helpRequest, usageErrorText } from '../../src/cli/help';
import { latestOffset } from '../../src/query/runRef';
import { runningLine } from '../../src/report/terminalProgress';

test('help is asked by --help anywhere or help COMMAND; an unknown topic is a usage error', () => {
  assert.equal(helpRequest(['run', 'x.yaml', '--help'])?.text, COMMAND_HELP.run);
  assert.equal(helpRequest(['help', 'whatif'])?.text, COMMAND_HELP.whatif);
  assert.equal(helpRequest(['help', '-h'])?.text, COMMAND_HELP.help);
  assert.match(helpRequest(['-h'])?.text ?? '', /^Usage: workflow-profiler <command>/);
  assert.equal(helpRequest(['run', 'x.yaml']), null);
  assert.deepEqual(helpRequest(['help', 'nope']), {
    text: "workflow-profiler: no command nope\nRun 'workflow-profiler --help' for usage.",
    toStderr: true,
  });
  assert.equal(
    usageErrorText('boom', 'export'),
    "workflow-profiler: boom\nRun 'workflow-profiler export --help' for usage.",
  );
});

test('latest, latest~N and nothing else are latest references', () => {
  assert.equal(latestOffset('latest'), 0);
  assert.equal(latestOffset('latest~0'), 0);
  assert.equal(latestOffset('latest~12'), 12);
  for (const s of ['latest~', 'latest~-1', 'latest-1', 'Latest', '20250101', 'latest~1x'])
    assert.equal(latestOffset(s), null, s);
});

test('the running line lists nodes oldest first with elapsed time, cut to the width', () => {
  const running = new Map([
    ['b', 1500],
    ['a', 1000],
  ]);
  assert.equal(runningLine(running, 2250, 80), '▶ 2 running: a 1.3 s · b 0.8 s');
  assert.equal(runningLine(new Map([['x', 0]]), 125_000, 80), '▶ 1 running: x 2m05s');
  const long = new Map([...Array(20).keys()].map((i) => [`node_${i}`, i] as [string, number]));
  const cut = runningLine(long, 5000, 40);
  assert.equal([...cut].length, 39, 'one column short of the terminal, so it never wraps');
  assert.ok(cut.endsWith('…'));
});
