/**
 * The public tools the baselines need: GNU time, GNU make and a C compiler. Missing ones are
 * installed with apt-get when running as root on Debian/Ubuntu; otherwise the suite says exactly
 * what is missing and which cases could not run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { firstLine } from './proc';
import type { ToolName, Tools } from './types';

const GNU_TIME = '/usr/bin/time';

/** Debian package and a human name for each tool. */
export const TOOL_INFO: Record<ToolName, { deb: string[]; what: string }> = {
  gnuTime: { deb: ['time'], what: 'GNU time (/usr/bin/time)' },
  make: { deb: ['make'], what: 'GNU make' },
  cc: { deb: ['gcc', 'libc6-dev'], what: 'a C compiler (cc)' },
};

function findTools(): Tools {
  const timeOut = fs.existsSync(GNU_TIME) ? versionText(GNU_TIME) : null;
  const makeOut = firstLine('make', ['--version']);
  const cc = process.env['CC'] || 'cc';
  return {
    gnuTime: timeOut && /GNU/i.test(timeOut) ? GNU_TIME : null,
    make: makeOut && /GNU Make/.test(makeOut) ? 'make' : null,
    cc: firstLine(cc, ['--version']) ? cc : null,
  };
}

/** GNU time prints its version on stdout or stderr depending on the build. */
function versionText(file: string): string | null {
  const r = spawnSync(file, ['--version'], { encoding: 'utf8' });
  if (r.error) return null;
  return `${r.stdout}${r.stderr}`;
}

export function toolVersions(tools: Tools): Record<ToolName, string | null> {
  return {
    gnuTime: tools.gnuTime ? (versionText(tools.gnuTime)?.split('\n')[0]?.trim() ?? null) : null,
    make: tools.make ? firstLine(tools.make, ['--version']) : null,
    cc: tools.cc ? firstLine(tools.cc, ['--version']) : null,
  };
}

/**
 * Finds the tools the selected cases need, installing missing ones with apt-get when possible.
 * Returns the tools found and one message per tool still missing.
 */
export function ensureTools(
  needed: ReadonlySet<ToolName>,
  log: (m: string) => void,
): { tools: Tools; missing: string[] } {
  let tools = findTools();
  const lacking = [...needed].filter((t) => tools[t] === null);
  if (lacking.length > 0) {
    const debs = lacking.flatMap((t) => TOOL_INFO[t].deb);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const hasApt = fs.existsSync('/usr/bin/apt-get');
    if (isRoot && hasApt) {
      log(`installing ${debs.join(' ')} with apt-get (needed by the baselines)…`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      const install =
        update.status === 0
          ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...debs], {
              stdio: 'inherit',
              env,
            })
          : update;
      if (install.status !== 0) log(`apt-get could not install ${debs.join(' ')}`);
      tools = findTools();
    }
  }
  const missing = [...needed]
    .filter((t) => tools[t] === null)
    .map(
      (t) =>
        `${TOOL_INFO[t].what} was not found (or is not the GNU one) and could not be installed ` +
        `(Debian: apt-get install ${TOOL_INFO[t].deb.join(' ')}, as root)`,
    );
  return { tools, missing };
}
