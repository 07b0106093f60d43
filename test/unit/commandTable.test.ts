/** package.json contributes exactly the commands of the extension's command table. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMAND_IDS, COMMANDS } from '../../src/extension/commandIds';
import { repoRoot } from '../helpers/paths';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus?: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { view: string; contents: string }[];
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
) as Manifest;
const table = new Set<string>(COMMAND_IDS);
/** Our namespace: anything in it must be ours; other commands (vscode.*, workbench.*) are not. */
const ours = (id: string): boolean => id.startsWith('workflowProfiler.');

test('the table has no duplicate ids and every id is in our namespace', () => {
  assert.equal(table.size, COMMAND_IDS.length);
  assert.equal(COMMAND_IDS.length, Object.keys(COMMANDS).length);
  for (const id of COMMAND_IDS) assert.ok(ours(id), id);
});

test('contributes.commands are exactly the table', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  assert.deepEqual([...contributed].sort(), [...table].sort());
});

test('menus and keybindings name only commands of the table', () => {
  const used: string[] = [];
  for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
    for (const item of items) if (item.command) used.push(`${menu}:${item.command}`);
  }
  for (const k of manifest.contributes.keybindings ?? []) used.push(`keybindings:${k.command}`);
  assert.ok(used.length > 0);
  const unknown = used.filter((u) => !table.has(u.slice(u.indexOf(':') + 1)));
  assert.deepEqual(unknown, []);
});

test('view welcome links to our commands use ids of the table', () => {
  const linked: string[] = [];
  for (const w of manifest.contributes.viewsWelcome ?? []) {
    for (const m of w.contents.matchAll(/\(command:([^)?\s]+)/g)) linked.push(m[1] as string);
  }
  const ourLinks = linked.filter(ours);
  assert.ok(ourLinks.length > 0);
  assert.deepEqual(
    ourLinks.filter((id) => !table.has(id)),
    [],
  );
});
