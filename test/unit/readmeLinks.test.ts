/**
 * The README is also the Marketplace page: every link and image in it is relative (no https, so
 * it reads the same from a clone, a package and the gallery), each resolves to a file in the
 * repository or a heading of the README, and the pictures the tests take are there.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
/** Markdown outside fenced code blocks, where a `](` is text, not a link. */
const prose = readme.replace(/^```[\s\S]*?^```/gm, '');
const links = [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
  (m) => m[1] ?? '',
);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

test('README links are relative and resolve to a file or a heading', () => {
  assert.ok(links.length >= 5, `links found: ${links.join(', ')}`);
  const headings = new Set([...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchor(m[1] ?? '')));
  for (const link of links) {
    assert.doesNotMatch(link, /^[a-z][a-z0-9+.-]*:/i, `${link} is not relative`);
    assert.ok(!link.startsWith('/'), `${link} is relative to the README, not the root`);
    const [file, hash] = link.split('#') as [string, string | undefined];
    if (file === '') {
      assert.ok(headings.has(hash ?? ''), `#${hash} names a heading of the README`);
      continue;
    }
    assert.ok(fs.existsSync(path.join(repoRoot, file)), `${link} resolves to a file`);
  }
  // Code blocks may hold a workflow's own URL; the text around them links nowhere outside.
  assert.doesNotMatch(prose, /https?:\/\//, 'no absolute URL in the text of the README');
});

test('the README shows the dashboard and the editor with CodeLens, pictures under media/', () => {
  for (const image of ['media/dashboard.png', 'media/editor-codelens.png']) {
    assert.ok(links.includes(image), `the README shows ${image}`);
    const png = fs.readFileSync(path.join(repoRoot, image));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${image} is a PNG`);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(w >= 1000 && h >= 600, `${image} is ${w} × ${h}, large enough to read`);
  }
});

test('the two commands stay first: demo, then test', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = firstBlock.trim().split('\n');
  assert.match(lines[0] ?? '', /^npm ci && npm run demo\b/);
  assert.match(lines[1] ?? '', /^npm ci && npm test\b/);
  assert.ok(readme.indexOf('```sh') < readme.indexOf('## '), 'before the first section');
});
