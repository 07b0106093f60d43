/** The extension manifest: what VS Code reads before any of our code runs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

interface Manifest {
  name: string;
  publisher: string;
  displayName: string;
  main: string;
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; description?: string } };
  contributes: {
    commands: { command: string; title: string; category: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    views: Record<string, { id: string; type?: string }[]>;
    jsonValidation: { fileMatch: string | string[]; url: string }[];
    yamlValidation: { fileMatch: string | string[]; url: string }[];
    taskDefinitions: { type: string; required?: string[] }[];
    configuration: { properties: Record<string, unknown> };
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const c = pkg.contributes;

test('identity, entry point and where it runs', () => {
  assert.equal(pkg.name, 'workflow-profiler');
  assert.equal(pkg.displayName, 'Workflow Profiler');
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
});

test('activation is lazy: workflow files and restored panels, never *', () => {
  assert.ok(!pkg.activationEvents.includes('*'));
  assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.workflow.{yaml,yml,json}'));
  // Commands, views and tasks activate through their contributions (VS Code generates those).
  for (const e of pkg.activationEvents) {
    assert.match(e, /^(workspaceContains:|onWebviewPanel:workflowProfiler\.)/, e);
  }
});

test('untrusted workspaces are supported in a limited way, with a reason', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /trusted/);
});

test('every command has the category, a title and a codicon where it shows as a button', () => {
  assert.ok(c.commands.length >= 9);
  for (const cmd of c.commands) {
    assert.equal(cmd.category, 'Workflow Profiler', cmd.command);
    assert.match(cmd.command, /^workflowProfiler\./);
    assert.ok(cmd.title.length > 0);
    assert.match(cmd.icon ?? '', /^\$\([a-z-]+\)$/, `${cmd.command} has no codicon`);
  }
});

test('the palette hides what needs an argument or a state, and Run/Profile need trust', () => {
  const palette = new Map(c.menus.commandPalette?.map((m) => [m.command, m.when]) ?? []);
  assert.equal(palette.get('workflowProfiler.deleteRun'), 'false');
  assert.equal(palette.get('workflowProfiler.cancel'), 'workflowProfiler.running');
  assert.equal(palette.get('workflowProfiler.run'), 'isWorkspaceTrusted');
  assert.equal(palette.get('workflowProfiler.profile'), 'isWorkspaceTrusted');
});

test('welcome views with command links for both trees, trusted or not', () => {
  for (const view of ['workflowProfiler.workflows', 'workflowProfiler.runs']) {
    const welcomes = c.viewsWelcome.filter((w) => w.view === view);
    assert.ok(welcomes.length >= 1, view);
    assert.ok(
      welcomes.some((w) => /\]\(command:/.test(w.contents)),
      `${view} has a command link`,
    );
  }
  const runs = c.viewsWelcome.filter((w) => w.view === 'workflowProfiler.runs');
  assert.ok(runs.some((w) => w.when === '!isWorkspaceTrusted' && /Trust/.test(w.contents)));
});

test('schema validation for JSON and YAML workflow files points at a schema that exists', () => {
  for (const v of [...c.jsonValidation, ...c.yamlValidation]) {
    assert.ok(fs.existsSync(path.join(repoRoot, v.url)), v.url);
  }
  assert.deepEqual(c.jsonValidation[0]?.fileMatch, ['*.workflow.json']);
  assert.ok(JSON.stringify(c.yamlValidation).includes('*.workflow.yaml'));
});

test('the workflow task type, the views and the settings', () => {
  assert.deepEqual(
    c.taskDefinitions.map((t) => [t.type, t.required]),
    [['workflow', ['file']]],
  );
  const views = Object.values(c.views).flat();
  for (const id of [
    'workflowProfiler.workflows',
    'workflowProfiler.runs',
    'workflowProfiler.runGlance',
  ])
    assert.ok(
      views.some((v) => v.id === id),
      id,
    );
  for (const key of [
    'samplingInterval',
    'defaultRuntime',
    'maxParallel',
    'retention',
    'codeLens.enabled',
    'nodeOutput',
  ])
    assert.ok(`workflowProfiler.${key}` in c.configuration.properties, key);
});

test('the package is an allowlist: dist, schemas, media, manifest, README, LICENSE', () => {
  const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  const lines = ignore.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  assert.ok(lines.includes('!dist/*.js') || lines.some((l) => l.startsWith('!dist/')));
  assert.ok(!lines.some((l) => /node_modules/.test(l)), 'nothing from node_modules is shipped');
});
