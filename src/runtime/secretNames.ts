/**
 * Which values are secrets: those of environment variables, query parameters and headers whose
 * names say so, credentials written into URLs, and values of names the user lists. Names are
 * judged by whole tokens (`GITHUB_TOKEN`, `githubToken`), so `AUTHOR`, `TOKENIZERS_*` or `XDG_*`
 * are not caught by a substring, and paths and sockets are never secrets: hiding the working
 * directory makes every log unreadable and protects nothing.
 */

/** One token of a name that makes it secret. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'AUTHORIZATION',
  'COOKIE',
  'COOKIES',
  'SIGNATURE',
  'DSN',
]);
/** Two adjacent tokens that make a name secret (`API_KEY`, `apiKey`). */
const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ['API', 'KEY'],
  ['PRIVATE', 'KEY'],
  ['ACCESS', 'KEY'],
];
/** Query parameters are terser than variable names: `?key=`, `?sig=`. */
const SECRET_PARAM_WORDS: ReadonlySet<string> = new Set(['KEY', 'SIG']);
/** The session's plumbing: locations, never credentials. */
const NEVER_SECRET: ReadonlySet<string> = new Set([
  'PWD',
  'OLDPWD',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'PATH',
  'TMPDIR',
]);
/** A last token naming a path or a socket: `SSH_AUTH_SOCK`, `PASSWORD_FILE`, `XDG_RUNTIME_DIR`. */
const PATH_SUFFIXES: ReadonlySet<string> = new Set([
  'SOCK',
  'SOCKET',
  'PATH',
  'DIR',
  'DIRS',
  'FILE',
  'HOME',
]);

/** Shorter values are not collected: replacing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** `githubToken` → GITHUB, TOKEN; `X-Api-Key` → X, API, KEY; `APIKey` → API, KEY. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((t) => t.length > 0);
}

function neverSecret(name: string, tokens: readonly string[]): boolean {
  const upper = name.toUpperCase();
  return (
    NEVER_SECRET.has(upper) ||
    upper.startsWith('XDG_') ||
    PATH_SUFFIXES.has(tokens[tokens.length - 1] ?? '')
  );
}

function hasSecretTokens(tokens: readonly string[], words: ReadonlySet<string>): boolean {
  if (tokens.some((t) => words.has(t))) return true;
  return tokens.some((t, i) => SECRET_PAIRS.some(([a, b]) => t === a && tokens[i + 1] === b));
}

/** Whether `name` (of a variable or header) says its value is a secret. */
export function looksSecret(name: string, extraNames: readonly string[] = []): boolean {
  if (isListed(name, extraNames)) return true;
  const tokens = nameTokens(name);
  return !neverSecret(name, tokens) && hasSecretTokens(tokens, SECRET_WORDS);
}

/** Whether a URL query parameter of this name carries a credential (`token`, `key`, `sig`…). */
export function looksSecretParam(name: string, extraNames: readonly string[] = []): boolean {
  if (looksSecret(name, extraNames)) return true;
  return nameTokens(name).some((t) => SECRET_PARAM_WORDS.has(t));
}

function isListed(name: string, extraNames: readonly string[]): boolean {
  const upper = name.toUpperCase();
  return extraNames.some((n) => n.toUpperCase() === upper);
}

/** A URL's scheme, userinfo and the rest, as written (not normalised, so matches stay literal). */
export const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i;
const QUERY_PARAM = /(^|&)([^=&#]+)=([^&#]*)/g;

/** Userinfo worth hiding: `user:pass`, or one long part (a token used as the user name). */
export function isCredentialUserinfo(info: string): boolean {
  return info.includes(':') || info.length >= 20;
}

/** The secret parts written into the URLs found in `text`: passwords, tokens in the query. */
export function urlSecrets(text: string, extraNames: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const url of text.match(URL_PATTERN) ?? []) {
    const info = USERINFO.exec(url)?.[2];
    if (info !== undefined && isCredentialUserinfo(info)) {
      out.push(info);
      const colon = info.indexOf(':');
      if (colon >= 0) out.push(info.slice(colon + 1));
    }
    const q = url.indexOf('?');
    if (q < 0) continue;
    for (const m of url.slice(q + 1).matchAll(QUERY_PARAM)) {
      if (looksSecretParam(decoded(m[2] ?? ''), extraNames)) out.push(m[3] ?? '');
    }
  }
  return withDecoded(out);
}

/** Values of headers named like secrets, and the credential after `Bearer `/`Basic `. */
export function headerSecrets(
  headers: Record<string, string>,
  extraNames: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (!looksSecret(k, extraNames)) continue;
    out.push(v);
    const scheme = /^\s*[A-Za-z-]+\s+(\S+)\s*$/.exec(v);
    if (scheme?.[1]) out.push(scheme[1]);
  }
  return out;
}

/** Secret values of an environment: by name, plus credentials in any URL-valued variable. */
export function secretValues(
  env: Record<string, string | undefined>,
  extraNames: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (looksSecret(k, extraNames)) out.push(v);
    else if (v.includes('://')) out.push(...urlSecrets(v, extraNames));
  }
  return usable(out);
}

/** Distinct, long enough, longest first (a secret containing another is replaced whole). */
export function usable(values: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v.length >= MIN_SECRET_LENGTH) set.add(v);
  return [...set].sort((a, b) => b.length - a.length);
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A value written percent-encoded in a URL may be printed decoded: both forms are secrets. */
function withDecoded(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    out.push(v);
    const d = decoded(v);
    if (d !== v) out.push(d);
  }
  return out;
}

/** What of a node can name a secret: its env, an http node's URL and headers. */
export interface SecretSources {
  env: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

/**
 * Every secret value of one run: the runner's environment and, node by node (two nodes may give
 * one name different values), each node's env, URL and headers; `names` are the user's own.
 */
export function runSecrets(
  baseEnv: Record<string, string | undefined>,
  nodes: Iterable<SecretSources>,
  names: readonly string[],
): string[] {
  const all = [...secretValues(baseEnv, names)];
  for (const n of nodes) {
    all.push(...secretValues(n.env, names));
    if (n.url) all.push(...urlSecrets(n.url, names));
    if (n.headers) all.push(...headerSecrets(n.headers, names));
  }
  // A secret written into a JSON string by a node is escaped there (`"` and `\`).
  const escaped = all.map((s) => JSON.stringify(s).slice(1, -1)).filter((e, i) => e !== all[i]);
  return usable([...all, ...escaped]);
}
