// Transform (memory-heavy): a dense SKU × SKU co-purchase matrix, as a naive recommender
// builds one: 4000² float64 cells are 128 MB, all touched, so this node's peak memory stands
// out in the profile. Output: the SKUs most often bought with each of the top sellers.
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { readInputs, workDir, writeOutput } from './wf.mjs';

const SKUS = 4000;
const inputs = readInputs();
const dir = workDir(inputs);

const started = performance.now();
const matrix = new Float64Array(SKUS * SKUS);
const sold = new Float64Array(SKUS);
let basket = [];
let currentOrder = '';
let baskets = 0;
const flush = () => {
  for (const a of basket) {
    sold[a] += 1;
    for (const b of basket) if (a !== b) matrix[a * SKUS + b] += 1;
  }
  if (basket.length > 0) baskets++;
  basket = [];
};

let header = true;
const lines = createInterface({
  input: createReadStream(inputs.generate.ordersCsv),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (header) {
    header = false;
    continue;
  }
  const [order, , , , , , sku] = line.split(',');
  if (order !== currentOrder) {
    flush();
    currentOrder = order;
  }
  const index = Number(sku?.slice(3));
  if (Number.isInteger(index) && index >= 0 && index < SKUS) basket.push(index);
}
flush();

// Confidence: P(b in basket | a in basket), each row divided by how often its SKU sold.
// This pass writes every cell, so all 128 MB are really resident.
for (let a = 0; a < SKUS; a++) {
  const n = sold[a] || 1;
  for (let b = 0; b < SKUS; b++) matrix[a * SKUS + b] /= n;
}

const top = [...sold.keys()].sort((a, b) => sold[b] - sold[a]).slice(0, 20);
const name = (i) => `SKU${String(i).padStart(5, '0')}`;
const boughtWith = Object.fromEntries(
  top.map((a) => {
    const row = matrix.subarray(a * SKUS, (a + 1) * SKUS);
    const best = [...row.keys()].sort((x, y) => row[y] - row[x]).slice(0, 3);
    return [name(a), best.map(name)];
  }),
);

const ms = performance.now() - started;
const rssMB = process.memoryUsage().rss / 2 ** 20;
console.log(
  `co-purchase matrix over ${baskets} baskets in ${ms.toFixed(0)} ms, rss ${rssMB.toFixed(0)} MB (${dir})`,
);
writeOutput({
  workDir: dir,
  baskets,
  boughtWith,
  _metrics: { baskets, matrixMB: Math.round(matrix.byteLength / 2 ** 20) },
});
