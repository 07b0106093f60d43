/** Workflow files: every validation rule, each problem at its exact line:col. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  parseWorkflowFile,
  parseWorkflowText,
  canonicalJson,
  type ParseOutcome,
} from '../../src/workflow/parse';
import type { NodeDef, WorkflowDef, WorkflowProblem } from '../../src/workflow/types';

const FILE = '/ws/w.workflow.yaml';

let lastText = '';

/**
 * `line:col-line:col «covered text» severity: message`: the location, and what it covers in
 * the source (BOM excluded, as editors show it), so each expectation shows what it points at.
 */
function show(p: WorkflowProblem): string {
  const r = p.range;
  const source = lastText.replace(/^\uFEFF/, '').split('\n');
  const cover =
    r.start.line === r.end.line
      ? (source[r.start.line - 1] ?? '').slice(r.start.col - 1, r.end.col - 1)
      : '…';
  return `${r.start.line}:${r.start.col}-${r.end.line}:${r.end.col} «${cover}» ${p.severity}: ${p.message}`;
}

function parse(text: string, file = FILE): ParseOutcome {
  lastText = text;
  return parseWorkflowText(text, file);
}

/** The one problem the text has (fails when there are none or several). */
function one(text: string, file = FILE): string {
  const { problems } = parse(text, file);
  assert.equal(problems.length, 1, `expected one problem, got:\n${problems.map(show).join('\n')}`);
  return show(problems[0] as WorkflowProblem);
}

function all(text: string, file = FILE): string[] {
  return parse(text, file).problems.map(show);
}

function valid(text: string, file = FILE): WorkflowDef {
  const { workflow, problems } = parse(text, file);
  assert.deepEqual(problems.map(show), []);
  assert.ok(workflow);
  return workflow;
}

function node(wf: WorkflowDef, id: string): NodeDef {
  const n = wf.nodes.find((x) => x.id === id);
  assert.ok(n, `node ${id}`);
  return n;
}

function lines(...l: string[]): string {
  return `${l.join('\n')}\n`;
}

// -------------------------------------------------------------------------------------------
// Valid files and normalisation

test('a minimal workflow gets every default', () => {
  const wf = valid(
    lines('nodes:', '  hello: { type: shell, run: echo hi }'),
    '/ws/sub/daily.workflow.yml',
  );
  assert.equal(wf.name, 'daily');
  assert.equal(wf.file, '/ws/sub/daily.workflow.yml');
  assert.equal(wf.runtime, 'local');
  assert.equal(wf.maxParallel, 1);
  assert.match(wf.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(wf.nodes, [
    {
      id: 'hello',
      type: 'shell',
      run: 'echo hi',
      needs: [],
      env: {},
      retries: 0,
      continueOnError: false,
      tags: [],
      range: { start: { line: 2, col: 3 }, end: { line: 2, col: 8 } },
    },
  ]);
});

test('the file is made absolute; the name defaults to the file name without .workflow.*', () => {
  const wf = valid(lines('nodes: { a: { type: shell, run: x } }'), 'rel/etl.workflow.json');
  assert.equal(wf.file, path.resolve('rel/etl.workflow.json'));
  assert.equal(wf.name, 'etl');
});

test('runtime parallel defaults maxParallel to 4; given values are kept', () => {
  assert.equal(
    valid(lines('runtime: parallel', 'nodes: { a: { type: shell, run: x } }')).maxParallel,
    4,
  );
  const wf = valid(
    lines(
      'name: n',
      'runtime: parallel',
      'maxParallel: 2',
      'nodes: { a: { type: shell, run: x } }',
    ),
  );
  assert.deepEqual([wf.name, wf.runtime, wf.maxParallel], ['n', 'parallel', 2]);
});

test('every node type is read and normalised', () => {
  const wf = valid(
    lines(
      'nodes:',
      '  sh: { type: shell, run: "make all", cwd: build, timeout: 1m30s, retries: 2, continueOnError: true, tags: nightly }',
      '  py: { type: python, script: s.py, args: [--n, 3, true], needs: sh, env: { A: 1.10, B: true, C: x } }',
      '  js: { type: node, code: "console.log(1)", needs: [sh, py], timeout: 2, tags: [a, 7] }',
      '  get: { type: http, url: "https://example.com/x", needs: sh }',
      '  post: { type: http, url: "http://127.0.0.1:9/h", method: post, headers: { X-Id: 7 }, body: { a: [1, b] } }',
      '  gate: { type: switch, needs: [get], on: "get.outputs.status == 200", then: [ok], else: fail }',
      '  ok: { type: shell, run: "true" }',
      '  fail: { type: shell, run: "false", needs: [post] }',
      '  join: { type: merge, needs: [ok, fail] }',
      '  cat: { type: merge, needs: [ok], mode: concat }',
      '  sub: { type: workflow, file: child.workflow.yaml }',
    ),
  );
  const strip = (n: NodeDef): Omit<NodeDef, 'range'> => {
    const { range: _range, ...rest } = n;
    return rest;
  };
  const base = { env: {}, retries: 0, continueOnError: false, tags: [] };
  assert.deepEqual(strip(node(wf, 'sh')), {
    ...base,
    id: 'sh',
    type: 'shell',
    run: 'make all',
    needs: [],
    cwd: 'build',
    timeoutMs: 90_000,
    retries: 2,
    continueOnError: true,
    tags: ['nightly'],
  });
  // Numbers and booleans become strings as written: 1.10 stays 1.10.
  assert.deepEqual(strip(node(wf, 'py')), {
    ...base,
    id: 'py',
    type: 'python',
    script: 's.py',
    args: ['--n', '3', 'true'],
    needs: ['sh'],
    env: { A: '1.10', B: 'true', C: 'x' },
  });
  assert.deepEqual(strip(node(wf, 'js')), {
    ...base,
    id: 'js',
    type: 'node',
    code: 'console.log(1)',
    needs: ['sh', 'py'],
    timeoutMs: 2000,
    tags: ['a', '7'],
  });
  assert.deepEqual(strip(node(wf, 'get')), {
    ...base,
    id: 'get',
    type: 'http',
    url: 'https://example.com/x',
    method: 'GET',
    needs: ['sh'],
  });
  assert.deepEqual(strip(node(wf, 'post')), {
    ...base,
    id: 'post',
    type: 'http',
    url: 'http://127.0.0.1:9/h',
    method: 'POST',
    headers: { 'X-Id': '7' },
    body: { a: [1, 'b'] },
    needs: [],
  });
  assert.deepEqual(strip(node(wf, 'gate')), {
    ...base,
    id: 'gate',
    type: 'switch',
    on: 'get.outputs.status == 200',
    then: ['ok'],
    else: ['fail'],
    needs: ['get'],
  });
  // Routed nodes depend on their switch: appended after their own needs.
  assert.deepEqual(node(wf, 'ok').needs, ['gate']);
  assert.deepEqual(node(wf, 'fail').needs, ['post', 'gate']);
  assert.equal(node(wf, 'join').mode, 'keyed');
  assert.equal(node(wf, 'cat').mode, 'concat');
  assert.deepEqual(strip(node(wf, 'sub')), {
    ...base,
    id: 'sub',
    type: 'workflow',
    file: 'child.workflow.yaml',
    needs: [],
  });
});

test('a node that already needs its switch does not get it twice', () => {
  const wf = valid(
    lines(
      'nodes:',
      '  a: { type: shell, run: x }',
      '  s: { type: switch, needs: a, on: a.outputs.ok, then: [b] }',
      '  b: { type: shell, run: x, needs: [s] }',
    ),
  );
  assert.deepEqual(node(wf, 'b').needs, ['s']);
});

test('node ranges are the id keys; multi-line block nodes too', () => {
  const wf = valid(
    lines(
      'nodes:',
      '  first:',
      '    type: shell',
      '    run: x',
      '  second_one:',
      '    type: shell',
      '    run: y',
    ),
  );
  assert.deepEqual(
    wf.nodes.map((n) => n.range),
    [
      { start: { line: 2, col: 3 }, end: { line: 2, col: 8 } },
      { start: { line: 5, col: 3 }, end: { line: 5, col: 13 } },
    ],
  );
});

test('the hash ignores layout, key order and the file, and follows every definition change', () => {
  const a = valid(
    lines('name: n', 'nodes:', '  a: { type: shell, run: x, timeout: 60 }'),
    '/one/a.workflow.yaml',
  );
  const b = valid(
    lines('nodes:', '  a:', '    timeout: 1m', '    run: x', '    type: shell', 'name: n  # same'),
    '/two/b.workflow.yaml',
  );
  assert.equal(a.hash, b.hash);
  const c = valid(lines('name: n', 'nodes:', '  a: { type: shell, run: y, timeout: 60 }'));
  assert.notEqual(a.hash, c.hash);
  const d = valid(
    lines('name: n', 'runtime: parallel', 'nodes:', '  a: { type: shell, run: x, timeout: 60 }'),
  );
  assert.notEqual(a.hash, d.hash);
});

test('canonicalJson sorts keys at every depth and drops undefined', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { f: 1, e: undefined }], c: null } }),
    '{"a":{"c":null,"d":[3,{"f":1}]},"b":1}',
  );
});

test('anchors, aliases and `<<` merges (with x- keys to hold them) are understood', () => {
  const wf = valid(
    lines(
      'x-defaults: &defaults',
      '  type: shell',
      '  retries: 2',
      '  env: &env { A: "1" }',
      'nodes:',
      '  a: { <<: *defaults, run: one }',
      '  b:',
      '    <<: *defaults',
      '    run: two',
      '    retries: 0',
      '  c: { type: python, code: "pass", env: *env }',
    ),
  );
  assert.deepEqual(
    wf.nodes.map((n) => [n.id, n.type, n.run, n.retries, n.env]),
    [
      ['a', 'shell', 'one', 2, { A: '1' }],
      ['b', 'shell', 'two', 0, { A: '1' }],
      ['c', 'python', undefined, 0, { A: '1' }],
    ],
  );
});

test('a byte-order mark does not shift columns', () => {
  assert.equal(
    one(`\uFEFFnodes:\n  a: { type: bash, run: x }\n`),
    '2:14-2:18 «bash» error: unknown node type `bash` (did you mean `shell`?); valid types: shell, python, node, http, switch, merge, workflow',
  );
});

test('`$schema` is allowed at the top', () => {
  valid(lines('$schema: ../schemas/workflow.schema.json', 'nodes: { a: { type: shell, run: x } }'));
});

// -------------------------------------------------------------------------------------------
// JSON input

const JSON_OK = `{
  "name": "j",
  "runtime": "parallel",
  "nodes": {
    "a": { "type": "shell", "run": "echo a" },
    "b": { "type": "python", "script": "b.py", "needs": ["a"], "timeout": "10s" }
  }
}
`;

test('JSON files parse with the same rules and the same hash as the YAML equivalent', () => {
  const j = valid(JSON_OK, '/ws/j.workflow.json');
  const y = valid(
    lines(
      'name: j',
      'runtime: parallel',
      'nodes:',
      '  a: { type: shell, run: echo a }',
      '  b: { type: python, script: b.py, needs: [a], timeout: 10s }',
    ),
    '/ws/j.workflow.yaml',
  );
  assert.equal(j.hash, y.hash);
  assert.deepEqual(node(j, 'b').range, { start: { line: 6, col: 5 }, end: { line: 6, col: 8 } });
});

test('JSON: problems are located too (unknown type, duplicate id, needs, syntax)', () => {
  const text = `{
  "nodes": {
    "a": { "type": "bassh", "run": "x" },
    "b": { "type": "shell", "run": "x", "needs": ["c"] },
    "a": { "type": "shell", "run": "y" }
  }
}
`;
  assert.deepEqual(all(text, '/ws/j.workflow.json'), [
    '3:20-3:27 «"bassh"» error: unknown node type `bassh`; valid types: shell, python, node, http, switch, merge, workflow',
    '4:51-4:54 «"c"» error: `needs` names `c`, which is not a node in this workflow',
    '5:5-5:8 «"a"» error: duplicate node id `a` (first defined at line 3, column 5)',
  ]);
  assert.equal(
    one(
      '{\n  "nodes": {\n    "a": { "type": "shell", "run": "x" ]\n  }\n}\n',
      '/ws/j.workflow.json',
    ),
    '3:40-3:41 «]» error: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
  );
  assert.equal(
    one('{\n  "nodes": {}\n}\n}\n', '/ws/j.workflow.json'),
    '4:1-4:2 «}» error: YAML syntax error: Unexpected flow-map-end token in YAML stream: "}"',
  );
});

test('JSON indented with tabs is fine', () => {
  valid('{\n\t"nodes": {\n\t\t"a": {"type": "shell", "run": "x"}\n\t}\n}\n', '/ws/t.workflow.json');
});

// -------------------------------------------------------------------------------------------
// The file as a whole

test('bad YAML is a syntax error at its line and column, and nothing else is reported', () => {
  assert.equal(
    one('name: x\nnodes:\n  a: { type: shell, run: "touch ran" \n'),
    '4:1-4:1 «» error: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
  );
  assert.equal(
    one('nodes:\n  a:\n\ttype: shell\n'),
    '3:1-3:2 «\t» error: YAML syntax error: Tabs are not allowed as indentation',
  );
  assert.equal(
    one('nodes:\n  a: { type: shell, run: "x }\n'),
    '3:1-3:1 «» error: YAML syntax error: Missing closing "quote',
  );
});

test('several YAML documents in one file are an error', () => {
  assert.match(
    one('nodes: {}\n---\nnodes: {}\n'),
    /^2:1-.* error: YAML syntax error: Source contains multiple documents/,
  );
});

test('an empty file, or one that is not a map, is an error at the start', () => {
  assert.equal(
    one(''),
    '1:1-1:1 «» error: the file is empty: a workflow is a map with `nodes` (and optionally `name`, `runtime`, `maxParallel`)',
  );
  assert.equal(one('# only a comment\n').split(' error')[0], '1:1-1:1 «»');
  assert.equal(
    one('- a\n- b\n'),
    '1:1-2:4 «…» error: a workflow file must be a map with `nodes`, found a list',
  );
  assert.equal(
    one('just text\n'),
    '1:1-1:10 «just text» error: a workflow file must be a map with `nodes`, found the string "just text"',
  );
});

test('missing `nodes` is an error at the first key; `nodes` as a list or scalar is an error at the value', () => {
  assert.equal(
    one('name: x\nruntime: local\n'),
    '1:1-1:5 «name» error: missing `nodes`: a workflow lists its nodes under `nodes:`, as a map from id to node',
  );
  assert.equal(
    one('nodes:\n  - a: { type: shell }\n'),
    '2:3-2:23 «- a: { type: shell }» error: `nodes` must be a map from node id to node, found a list (write `id: { type: … }` for each node, not `- …`)',
  );
  assert.equal(
    one('nodes: 3\n'),
    '1:8-1:9 «3» error: `nodes` must be a map from node id to node, found the number 3',
  );
});

test('empty `nodes` is only a warning, and the workflow is still valid', () => {
  for (const text of ['nodes:\n', 'nodes: {}\n']) {
    const r = parse(text);
    assert.deepEqual(r.problems.map(show), [
      '1:1-1:6 «nodes» warning: `nodes` is empty: this workflow does nothing',
    ]);
    assert.deepEqual(r.workflow?.nodes, []);
  }
});

test('top-level keys: unknown ones (with suggestions), bad runtime, bad maxParallel, bad name', () => {
  assert.equal(
    one(lines('nmae: x', 'nodes: { a: { type: shell, run: x } }')),
    '1:1-1:5 «nmae» error: unknown key `nmae` (did you mean `name`?); a workflow has `name`, `runtime`, `maxParallel`, `slurm`, `nodes`',
  );
  assert.equal(
    one(lines('concurrency: 2', 'nodes: { a: { type: shell, run: x } }')),
    '1:1-1:12 «concurrency» error: unknown key `concurrency` (did you mean `maxParallel`?); a workflow has `name`, `runtime`, `maxParallel`, `slurm`, `nodes`',
  );
  assert.equal(
    one(lines('nodes: { a: { type: shell, run: x } }', 'b:', '  type: shell')),
    '2:1-2:2 «b» error: unknown key `b` (nodes go under `nodes:`); a workflow has `name`, `runtime`, `maxParallel`, `slurm`, `nodes`',
  );
  assert.equal(
    one(lines('runtime: paralel', 'nodes: { a: { type: shell, run: x } }')),
    '1:10-1:17 «paralel» error: `runtime` must be `local` or `parallel` or `slurm`, found `paralel` (did you mean `parallel`?)',
  );
  assert.equal(
    one(lines('maxParallel: 0', 'nodes: { a: { type: shell, run: x } }')),
    '1:14-1:15 «0» error: `maxParallel` must be a whole number, 1 or more, found the number 0',
  );
  assert.equal(
    one(lines('maxParallel: 2.5', 'nodes: { a: { type: shell, run: x } }')).split(' error')[0],
    '1:14-1:17 «2.5»',
  );
  assert.equal(
    one(lines('name: [x]', 'nodes: { a: { type: shell, run: x } }')),
    '1:7-1:10 «[x]» error: `name` must be a string, found a list',
  );
  assert.equal(
    one(lines('name: ""', 'nodes: { a: { type: shell, run: x } }')),
    '1:7-1:9 «""» error: `name` is empty',
  );
});

test('duplicate top-level keys are errors at the second occurrence', () => {
  assert.equal(
    one(lines('name: a', 'nodes: { a: { type: shell, run: x } }', 'name: b')),
    '3:1-3:5 «name» error: duplicate key `name` (first defined at line 1, column 1)',
  );
});

// -------------------------------------------------------------------------------------------
// Node ids and types

test('unknown node type: at the value, listing the valid ones', () => {
  assert.equal(
    one(
      'name: x\nnodes:\n  ok: { type: shell, run: "touch ran" }\n  a:\n    type: bash\n    run: "true"\n',
    ),
    '5:11-5:15 «bash» error: unknown node type `bash` (did you mean `shell`?); valid types: shell, python, node, http, switch, merge, workflow',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: pyhton, code: x }')),
    '2:14-2:20 «pyhton» error: unknown node type `pyhton` (did you mean `python`?); valid types: shell, python, node, http, switch, merge, workflow',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: cron }')),
    '2:14-2:18 «cron» error: unknown node type `cron`; valid types: shell, python, node, http, switch, merge, workflow',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: 3 }')),
    '2:14-2:15 «3» error: unknown node type the number 3; valid types: shell, python, node, http, switch, merge, workflow',
  );
});

test('a node without a type, an empty node and a non-map node are errors', () => {
  assert.equal(
    one(lines('nodes:', '  a: { run: x }')),
    '2:3-2:4 «a» error: node `a` has no `type` (one of shell, python, node, http, switch, merge, workflow)',
  );
  assert.equal(
    one(lines('nodes:', '  a:')),
    '2:3-2:4 «a» error: node `a` is empty: it needs a `type` (one of shell, python, node, http, switch, merge, workflow)',
  );
  assert.equal(
    one(lines('nodes:', '  a: echo hi')),
    '2:6-2:13 «echo hi» error: node `a` must be a map with a `type`, found the string "echo hi"',
  );
});

test('node ids must look like identifiers', () => {
  assert.equal(
    one(lines('nodes:', '  "my node": { type: shell, run: x }')),
    '2:3-2:12 «"my node"» error: `my node` is not a valid node id: ids start with a letter or `_` and go on with letters, digits, `_` or `-`',
  );
  assert.match(
    one(lines('nodes:', '  1st: { type: shell, run: x }')),
    /^2:3-2:6 «1st» error: `1st` is not a valid node id/,
  );
  valid(lines('nodes:', '  _a-b_2: { type: shell, run: x }'));
  assert.equal(
    one(lines('nodes:', '  __proto__: { type: shell, run: x }')),
    '2:3-2:12 «__proto__» error: `__proto__` cannot be a node id',
  );
});

test('duplicate node id: at the second occurrence, saying where the first is', () => {
  assert.equal(
    one(
      'name: x\nnodes:\n  a: { type: shell, run: "touch ran" }\n  a: { type: shell, run: "true" }\n',
    ),
    '4:3-4:4 «a» error: duplicate node id `a` (first defined at line 3, column 3)',
  );
});

test('a duplicate key inside a node is an error at the second one', () => {
  assert.equal(
    one(lines('nodes:', '  a:', '    type: shell', '    run: x', '    run: y')),
    '5:5-5:8 «run» error: duplicate key `run` (first defined at line 4, column 5)',
  );
});

// -------------------------------------------------------------------------------------------
// Node keys

test('unknown node keys are errors, with "did you mean" for typos and other tools\' names', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, timout: 5s }')),
    '2:29-2:35 «timout» error: unknown key `timout` (did you mean `timeout`?)',
  );
  assert.equal(
    one(
      lines(
        'nodes:',
        '  a: { type: shell, run: x, depends_on: [b] }',
        '  b: { type: shell, run: x }',
      ),
    ),
    '2:29-2:39 «depends_on» error: unknown key `depends_on` (did you mean `needs`?)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, ContinueOnError: true }')),
    '2:29-2:44 «ContinueOnError» error: unknown key `ContinueOnError` (did you mean `continueOnError`?)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, colour: red }')),
    '2:29-2:35 «colour» error: unknown key `colour`',
  );
});

test('keys another node type uses are warnings, ignored, and the workflow stays valid', () => {
  const r = parse(
    lines(
      'nodes:',
      '  a: { type: shell, run: x, url: "http://h/" }',
      '  m: { type: merge, needs: a, env: { A: b } }',
    ),
  );
  assert.deepEqual(r.problems.map(show), [
    '2:29-2:32 «url» warning: `url` is not used by shell nodes (only by http); it is ignored',
    '3:31-3:34 «env» warning: `env` is not used by merge nodes (only by shell, python, node); it is ignored',
  ]);
  assert.ok(r.workflow);
  assert.equal(node(r.workflow, 'a').url, undefined);
  assert.deepEqual(node(r.workflow, 'm').env, {});
});

test('required keys per type are errors at the node id', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: shell }')),
    '2:3-2:4 «a» error: shell node `a` needs `run` (the command line)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: python }')),
    '2:3-2:4 «a» error: python node `a` needs `script` (a file) or `code` (inline)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: http, method: GET }')),
    '2:3-2:4 «a» error: http node `a` needs a `url`',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: workflow }')),
    '2:3-2:4 «a» error: workflow node `a` needs a `file` (the nested workflow)',
  );
  assert.match(
    one(lines('nodes:', '  a: { type: switch, then: [] }')),
    /^2:3-2:4 «a» error: switch node `a` needs a condition `on`/,
  );
});

test('python and node nodes take exactly one of script and code: the second one is the error', () => {
  assert.equal(
    one(lines('nodes:', '  a:', '    type: node', '    code: "1"', '    script: a.js')),
    '5:5-5:11 «script» error: use either `script` (a file) or `code` (inline), not both',
  );
});

test('value types: strings, whole numbers, booleans, lists and maps', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: [x] }')),
    '2:26-2:29 «[x]» error: `run` must be a string, found a list',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: "" }')),
    '2:26-2:28 «""» error: `run` is empty',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, retries: -1 }')),
    '2:38-2:40 «-1» error: `retries` must be a whole number, 0 or more, found the number -1',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, retries: 1.5 }')).split(' error')[0],
    '2:38-2:41 «1.5»',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, continueOnError: "yes" }')),
    '2:46-2:51 «"yes"» error: `continueOnError` must be true or false, found the string "yes"',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: python, script: a.py, args: x }')),
    '2:42-2:43 «x» error: `args` must be a list of strings, found the string "x"',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, tags: [ok, [no]] }')),
    '2:40-2:44 «[no]» error: each item of `tags` must be a string, found a list',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, cwd: 3 }')),
    '2:34-2:35 «3» error: `cwd` must be a string, found the number 3',
  );
  assert.equal(
    one(
      lines('nodes:', '  b: { type: shell, run: x }', '  a: { type: merge, needs: b, mode: zip }'),
    ),
    '3:37-3:40 «zip» error: `mode` must be `keyed` or `shallow` or `concat`, found `zip`',
  );
});

test('env: values must be scalars; names are checked; runtime names are warnings', () => {
  assert.equal(
    one(lines('nodes:', '  a:', '    type: shell', '    run: x', '    env:', '      A: [1]')),
    '6:10-6:13 «[1]» error: `env.A` must be a string (numbers and true/false are turned into strings), found a list',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, env: { A: } }')).split(' error')[0],
    '2:36-2:37 «A»',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, env: { "A=B": c } }')),
    '2:36-2:41 «"A=B"» error: `A=B` is not a valid environment variable name',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, env: { WORKFLOW_OUTPUT: o } }')),
    '2:36-2:51 «WORKFLOW_OUTPUT» warning: `WORKFLOW_OUTPUT` is set by the runtime for every node; this value is ignored',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, env: [A] }')),
    '2:34-2:37 «[A]» error: `env` must be a map of names to strings, found a list',
  );
});

test('http: url must be absolute http(s); method is a token, upper-cased; headers are checked', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: http, url: "ftp://x/" }')),
    '2:25-2:35 «"ftp://x/"» error: `url` must be an absolute http:// or https:// URL, found `ftp://x/`',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: http, url: /relative }')),
    '2:25-2:34 «/relative» error: `url` must be an absolute http:// or https:// URL, found `/relative`',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: http, url: "http://h/", method: "GE T" }')),
    '2:46-2:52 «"GE T"» error: `GE T` is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: http, url: "http://h/", method: PSOT }')),
    '2:46-2:50 «PSOT» warning: `PSOT` is not a standard HTTP method (did you mean `POST`?)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: http, url: "http://h/", headers: { "a b": c } }')),
    '2:49-2:54 «"a b"» error: `a b` is not a valid HTTP header name',
  );
});

test('workflow: a file that does not look like a workflow is a warning', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: workflow, file: child.yaml }')),
    '2:30-2:40 «child.yaml» warning: `file` does not look like a workflow file (`*.workflow.yaml`, `.yml` or `.json`)',
  );
});

// -------------------------------------------------------------------------------------------
// Timeouts

test('timeouts: units, combinations, seconds; each bad one at its value', () => {
  const ms = (t: string): number | undefined =>
    node(valid(lines('nodes:', `  a: { type: shell, run: x, timeout: ${t} }`)), 'a').timeoutMs;
  assert.equal(ms('500ms'), 500);
  assert.equal(ms('30s'), 30_000);
  assert.equal(ms('10m'), 600_000);
  assert.equal(ms('1h'), 3_600_000);
  assert.equal(ms('1m30s'), 90_000);
  assert.equal(ms('45'), 45_000);
  assert.equal(ms('0.25'), 250);
  assert.equal(ms('"90"'), 90_000);
  const bad = (t: string): string =>
    one(lines('nodes:', `  a: { type: shell, run: x, timeout: ${t} }`));
  assert.equal(
    bad('3x'),
    '2:38-2:40 «3x» error: bad `timeout`: `3x` is not a duration (unknown unit `x`): use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s',
  );
  assert.equal(
    bad('30s1m'),
    '2:38-2:43 «30s1m» error: bad `timeout`: `30s1m` is not a duration: units go from largest to smallest, each once (e.g. 1h30m, 1m30s)',
  );
  assert.equal(
    bad('0'),
    '2:38-2:39 «0» error: `timeout` must be longer than 0 (at most 596h31m23.647s); leave it out for the default',
  );
  assert.equal(
    bad('-5'),
    '2:38-2:40 «-5» error: bad `timeout`: -5 is not a duration: use a number of seconds or units like 500ms, 30s, 10m, 1h, 1m30s',
  );
  assert.equal(
    bad('1000h'),
    '2:38-2:43 «1000h» error: bad `timeout`: 1000h is too long: the limit is 596h31m23.647s',
  );
  assert.equal(
    bad('[1]'),
    '2:38-2:41 «[1]» error: `timeout` must be a duration like 30s, 10m or 1m30s, or a number of seconds; found a list',
  );
});

// -------------------------------------------------------------------------------------------
// needs, branches and cycles

test('needs naming no node: at that list item (with a suggestion when close)', () => {
  assert.equal(
    one('name: x\nnodes:\n  a: { type: shell, run: "touch ran", needs: [ghost] }\n'),
    '3:47-3:52 «ghost» error: `needs` names `ghost`, which is not a node in this workflow',
  );
  assert.equal(
    one(
      lines(
        'nodes:',
        '  extract: { type: shell, run: x }',
        '  load:',
        '    type: shell',
        '    run: x',
        '    needs:',
        '      - extract',
        '      - extarct',
      ),
    ),
    '8:9-8:16 «extarct» error: `needs` names `extarct`, which is not a node in this workflow (did you mean `extract`?)',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, needs: b }')),
    '2:36-2:37 «b» error: `needs` names `b`, which is not a node in this workflow',
  );
});

test('a node needing itself is an error (and not also reported as a cycle); repeats are warnings', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, needs: [a] }')),
    '2:37-2:38 «a» error: node `a` cannot need itself',
  );
  const r = parse(
    lines('nodes:', '  a: { type: shell, run: x }', '  b: { type: shell, run: x, needs: [a, a] }'),
  );
  assert.deepEqual(r.problems.map(show), ['3:40-3:41 «a» warning: `a` is already in `needs`']);
  assert.deepEqual(r.workflow && node(r.workflow, 'b').needs, ['a']);
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, needs: [3] }')),
    '2:37-2:38 «3» error: each item of `needs` must be a string, found the number 3',
  );
});

test('cycle a -> b -> a: one problem, at the needs entry that closes it', () => {
  const text =
    'name: x\nnodes:\n  a: { type: shell, run: "touch ran", needs: [b] }\n  b: { type: shell, run: "true", needs: [a] }\n';
  assert.equal(one(text), '4:42-4:43 «a» error: dependency cycle: a -> b -> a');
});

test('a 3-cycle is spelled in full, from the first node in the file', () => {
  const text = lines(
    'nodes:',
    '  a: { type: shell, run: x, needs: c }',
    '  b: { type: shell, run: x, needs: a }',
    '  c: { type: shell, run: x, needs: b }',
  );
  // a needs c, c needs b, b needs a: closed by b's `needs: a`.
  assert.equal(one(text), '3:36-3:37 «a» error: dependency cycle: a -> c -> b -> a');
});

test('separate and overlapping cycles each get one problem; nodes outside them none', () => {
  const text = lines(
    'nodes:',
    '  a: { type: shell, run: x, needs: [b] }',
    '  b: { type: shell, run: x, needs: [a, c] }',
    '  c: { type: shell, run: x, needs: [b] }',
    '  d: { type: shell, run: x, needs: [e] }',
    '  e: { type: shell, run: x, needs: [d] }',
    '  f: { type: shell, run: x, needs: [a] }',
  );
  assert.deepEqual(all(text), [
    '3:37-3:38 «a» error: dependency cycle: a -> b -> a',
    '4:37-4:38 «b» error: dependency cycle: b -> c -> b',
    '6:37-6:38 «d» error: dependency cycle: d -> e -> d',
  ]);
});

test('a cycle through a switch branch says where the implicit edge comes from', () => {
  const text = lines(
    'nodes:',
    '  s: { type: switch, needs: [x], on: "true", then: [x] }',
    '  x: { type: shell, run: x }',
  );
  // x is in s's `then`, so x runs after s; s needs x: the cycle closes at that `then` item.
  assert.equal(
    one(text),
    '2:53-2:54 «x» error: dependency cycle: s -> x -> s (`x` is in the `then` of switch `s`, so it runs after it)',
  );
});

test('switch branches: unknown ids, itself, both branches, repeats', () => {
  const head = ['nodes:', '  a: { type: shell, run: x }'];
  assert.equal(
    one(lines(...head, '  s: { type: switch, needs: a, on: a.outputs.ok, then: [b] }')),
    '3:57-3:58 «b» error: `then` names `b`, which is not a node in this workflow',
  );
  assert.equal(
    one(lines(...head, '  s: { type: switch, needs: a, on: a.outputs.ok, else: s }')),
    '3:56-3:57 «s» error: switch `s` cannot route to itself',
  );
  assert.equal(
    one(
      lines(
        ...head,
        '  b: { type: shell, run: x }',
        '  s: { type: switch, needs: a, on: a.outputs.ok, then: [b], else: [b] }',
      ),
    ),
    '4:68-4:69 «b» error: `b` is in both `then` and `else`, so whichever way the switch goes it is skipped',
  );
  assert.equal(
    one(
      lines(
        ...head,
        '  b: { type: shell, run: x }',
        '  s: { type: switch, needs: a, on: a.outputs.ok, then: [b, b] }',
      ),
    ),
    '4:60-4:61 «b» warning: `b` is already in `then`',
  );
  assert.equal(
    one(lines(...head, '  s: { type: switch, needs: a, on: a.outputs.ok }')),
    '3:3-3:4 «s» warning: switch `s` has neither `then` nor `else`: it routes nothing',
  );
});

test('a merge without needs is a warning', () => {
  assert.equal(
    one(lines('nodes:', '  m: { type: merge }')),
    '2:3-2:4 «m» warning: merge `m` has no `needs`: it has nothing to merge',
  );
});

// -------------------------------------------------------------------------------------------
// Switch conditions

const UP = [
  'nodes:',
  '  up: { type: shell, run: x }',
  '  mid: { type: shell, run: x, needs: up }',
  '  other: { type: shell, run: x }',
];

test('condition syntax errors point into the condition: plain, double- and single-quoted', () => {
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: up.outputs.n > 0 &&, then: [other] }')),
    '5:56-5:57 «&» error: bad condition: the condition ends too early: a value is missing',
  );
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "up.outputs.n = 1", then: [other] }')),
    '5:52-5:53 «=» error: bad condition: use `==` to compare',
  );
  assert.equal(
    one(lines(...UP, "  s: { type: switch, needs: mid, on: 'up.outputs.n > #', then: [other] }")),
    '5:54-5:55 «#» error: bad condition: unexpected character `#`',
  );
  assert.equal(
    one(
      lines(
        ...UP,
        '  s:',
        '    type: switch',
        '    needs: mid',
        '    on: 1 < 2 < 3',
        '    then: other',
      ),
    ),
    '8:15-8:16 «<» error: bad condition: comparisons do not chain: join them with `&&`',
  );
});

test('a condition written over several lines is located as a whole', () => {
  assert.equal(
    one(
      lines(
        ...UP,
        '  s:',
        '    type: switch',
        '    needs: mid',
        '    on: >-',
        '      up.outputs.n >',
        '      )',
        '    then: other',
      ),
    ),
    '8:9-10:8 «…» error: bad condition: expected a value, found `)`',
  );
});

test('conditions may only read upstream nodes, through .outputs or .status', () => {
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "upp.outputs.n > 0", then: other }')),
    '5:39-5:42 «upp» error: the condition reads `upp`, which is not a node in this workflow (did you mean `up`?)',
  );
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "other.outputs.n > 0", else: other }')),
    '5:39-5:44 «other» error: the condition reads `other`, which does not run before switch `s`: add it to `needs`',
  );
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "up.output.n > 0", then: other }')),
    '5:42-5:48 «output» error: after a node id comes `.outputs` or `.status`, found `output` (did you mean `outputs`?)',
  );
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "up", then: other }')),
    '5:39-5:41 «up» error: after a node id comes `.outputs` or `.status`, found nothing',
  );
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: "s.outputs.x", then: other }')),
    '5:39-5:40 «s» error: switch `s` cannot read its own output',
  );
  // Upstream through another node (up -> mid -> s) is fine, and so is `.status`.
  valid(
    lines(
      ...UP,
      '  s: { type: switch, needs: mid, on: "up.outputs.n > 0 && mid.status == \'completed\'", then: other }',
    ),
  );
});

test('`on` must be a scalar condition', () => {
  assert.equal(
    one(lines(...UP, '  s: { type: switch, needs: mid, on: [a], then: other }')),
    '5:38-5:41 «[a]» error: `on` must be a condition such as `transform.outputs.rows > 0`, found a list',
  );
  // YAML reads `on: true` as a boolean; it is the condition `true`.
  assert.equal(
    node(valid(lines(...UP, '  s: { type: switch, on: true, then: other }')), 's').on,
    'true',
  );
});

// -------------------------------------------------------------------------------------------
// Results as a whole

test('any error makes the workflow null; warnings alone do not; problems come sorted', () => {
  const r = parse(
    lines('nodes:', '  b: { type: shell, run: x, needs: [zz] }', '  a: { type: bash, run: x }'),
  );
  assert.equal(r.workflow, null);
  assert.deepEqual(
    r.problems.map((p) => `${p.range.start.line}:${p.range.start.col}`),
    ['2:37', '3:14'],
  );
  assert.ok(r.problems.every((p) => p.file === FILE && p.severity === 'error'));
});

test('parseWorkflowFile reads the file; a missing file is one problem at 1:1', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-parse-'));
  try {
    const file = path.join(dir, 'ok.workflow.yaml');
    fs.writeFileSync(file, '\uFEFFnodes:\n  a: { type: shell, run: x }\n');
    const ok = await parseWorkflowFile(file);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.workflow?.name, 'ok');
    assert.equal(ok.workflow?.file, file);

    const missing = path.join(dir, 'nope.workflow.yaml');
    const r = await parseWorkflowFile(missing);
    assert.equal(r.workflow, null);
    assert.deepEqual(r.problems, [
      {
        file: missing,
        message: 'workflow file not found',
        range: { start: { line: 1, col: 1 }, end: { line: 1, col: 1 } },
        severity: 'error',
      },
    ]);
    const isDir = await parseWorkflowFile(dir);
    assert.equal(isDir.problems[0]?.message, 'this is a directory, not a workflow file');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an alias to no anchor, and a `<<` of a non-map, are located errors', () => {
  // The value is missing, so `run` is too; the alias problem says why.
  assert.deepEqual(all(lines('nodes:', '  a: { type: shell, run: *nope }')), [
    '2:3-2:4 «a» error: shell node `a` needs `run` (the command line)',
    '2:26-2:31 «*nope» error: `*nope` refers to no anchor `&nope`',
  ]);
  assert.equal(
    one(lines('nodes:', '  a: { <<: 3, type: shell, run: x }')),
    '2:12-2:13 «3» error: `<<` merges a map, or a list of maps (usually `*anchor`s)',
  );
});

test('keys named like Object.prototype members are ordinary keys, never lookups into it', () => {
  assert.equal(
    one(lines('nodes:', '  a: { type: shell, run: x, toString: 1 }')),
    '2:29-2:37 «toString» error: unknown key `toString`',
  );
  assert.equal(
    one(lines('nodes:', '  a: { type: constructor }')),
    '2:14-2:25 «constructor» error: unknown node type `constructor`; valid types: shell, python, node, http, switch, merge, workflow',
  );
  const wf = valid(
    lines('nodes:', '  constructor: { type: shell, run: x, env: { __proto__: p, toString: t } }'),
  );
  const env = node(wf, 'constructor').env;
  assert.deepEqual(Object.entries(env), [
    ['__proto__', 'p'],
    ['toString', 't'],
  ]);
  assert.equal(Object.getPrototypeOf(env), Object.prototype);
});

test('nested `<<` merges of many aliases stay fast (no merge-key "billion laughs")', () => {
  const levels = ['x-l0: &l0 { type: shell, run: x }'];
  for (let i = 1; i <= 12; i++) {
    levels.push(
      `x-l${i}: &l${i} { <<: [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}] }`,
    );
  }
  const started = Date.now();
  const wf = valid(lines(...levels, 'nodes:', '  a: { <<: *l12 }'));
  assert.equal(node(wf, 'a').run, 'x');
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('an alias bomb in an http body is refused at the body', () => {
  const bomb = ['x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
  for (let i = 1; i <= 8; i++) {
    const prev = String.fromCharCode(97 + i - 1);
    bomb.push(
      `x-${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`,
    );
  }
  const r = parse(lines(...bomb, 'nodes:', '  h: { type: http, url: "http://h/", body: *i }'));
  assert.equal(r.workflow, null);
  assert.match(
    show(r.problems[0] as WorkflowProblem),
    /^11:44-11:46 «\*i» error: `body` cannot be read: .*alias/i,
  );
});

test('CRLF line endings do not shift positions', () => {
  assert.deepEqual(
    all(
      'nodes:\r\n  a: { type: bash, run: x }\r\n  b:\r\n    type: shell\r\n    run: x\r\n    needs: [zz]\r\n',
    ),
    [
      '2:14-2:18 «bash» error: unknown node type `bash` (did you mean `shell`?); valid types: shell, python, node, http, switch, merge, workflow',
      '6:13-6:15 «zz» error: `needs` names `zz`, which is not a node in this workflow',
    ],
  );
});
