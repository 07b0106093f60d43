/**
 * The layers, lowest first. A folder of src/ may import only from folders before it in this
 * list (ARCHITECTURE.md draws it); the front ends on the last line never import each other.
 * Checked by `npm run lint` (depcruise) and, on planted files, by test/unit/layers.test.ts.
 */
const LAYERS = [
  ['model'],
  ['workflow'],
  ['protocol'],
  ['measure'],
  ['store'],
  ['runtime'],
  ['report'],
  ['query'],
  ['cli', 'extension', 'runner'],
];

const any = (names) => `^src/(${names.join('|')})/`;

const upward = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const siblings = layer.length > 1 ? layer : [];
  const rules = [];
  if (above.length > 0) {
    rules.push({
      name: `no-upward-from-${layer.join('-')}`,
      comment: `src/${layer.join(', src/')} may not import a layer above it (${above.join(', ')})`,
      severity: 'error',
      from: { path: any(layer) },
      to: { path: any(above) },
    });
  }
  for (const s of siblings) {
    rules.push({
      name: `no-front-end-to-front-end-${s}`,
      comment: `src/${s} is a front end; it may not import another front end`,
      severity: 'error',
      from: { path: `^src/${s}/` },
      to: { path: any(siblings.filter((o) => o !== s)) },
    });
  }
  return rules;
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no file may import one that (directly or through others) imports it',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'webview-only-model-protocol-charts',
      comment:
        'webview/ runs in the browser: it may use src/model, src/protocol and the pure chart builders only',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^src/', pathNot: '^src/(model|protocol|report/charts)/' },
    },
    {
      // The what-if simulator (src/report/whatif, through src/report/charts/whatIfScenario) runs
      // in the dashboard page, so prediction redraws while a slider moves and works in the
      // standalone HTML: nothing a webview reaches may be a Node.js built-in.
      name: 'webview-reaches-no-node-builtin',
      comment:
        'webview/ runs in the browser: nothing it imports, directly or through src/, may be a Node.js built-in module',
      severity: 'error',
      from: { path: '^webview/' },
      to: {
        path: '^(node:)?(fs|path|os|child_process|crypto|zlib|util|events|stream|net|http|https|url|worker_threads|process|buffer|readline|perf_hooks|assert)(/|$)',
        reachable: true,
      },
    },
    {
      name: 'src-not-to-webview-or-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(webview|test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
