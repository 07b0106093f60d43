// Transform: streams the orders CSV, rejects malformed lines, converts every line to EUR with
// the rates from `fetch_rates`, and writes revenue per region and hour.
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { readInputs, workDir, writeOutput } from './wf.mjs';

const inputs = readInputs();
const dir = workDir(inputs);
const rates = inputs.fetch_rates?.rates;
if (!rates) throw new Error('fetch_rates gave no rates');

const started = performance.now();
let rows = 0;
let rejected = 0;
let header = true;
const byRegion = new Map();
const byHour = new Array(24).fill(0);
const bySku = new Map();

const lines = createInterface({
  input: createReadStream(inputs.generate.ordersCsv),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (header) {
    header = false;
    continue;
  }
  if (line === '') continue;
  const [, , ts, region, currency, , sku, qtyText, priceText] = line.split(',');
  const qty = Number(qtyText);
  const price = Number(priceText);
  const rate = rates[currency];
  if (!Number.isInteger(qty) || !Number.isFinite(price) || rate === undefined) {
    rejected++;
    continue;
  }
  rows++;
  const eur = (qty * price) / rate;
  byRegion.set(region, (byRegion.get(region) ?? 0) + eur);
  byHour[new Date(Number(ts) * 1000).getUTCHours()] += eur;
  bySku.set(sku, (bySku.get(sku) ?? 0) + eur);
}

const regions = Object.fromEntries(
  [...byRegion].sort((a, b) => b[1] - a[1]).map(([r, v]) => [r, Math.round(v)]),
);
const topSkus = [...bySku]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 10)
  .map(([sku, v]) => ({ sku, eur: Math.round(v) }));
const totalEur = [...byRegion.values()].reduce((a, b) => a + b, 0);
const csv = ['hour,revenue_eur', ...byHour.map((v, h) => `${h},${v.toFixed(2)}`)].join('\n');
const hourlyCsv = join(dir, 'revenue_by_hour.csv');
writeFileSync(hourlyCsv, `${csv}\n`);

const ms = performance.now() - started;
console.log(
  `aggregated ${rows} lines (${rejected} rejected) into ${byRegion.size} regions in ${ms.toFixed(0)} ms`,
);
writeOutput({
  workDir: dir,
  rows,
  rejected,
  rejectedRatio: rejected / Math.max(1, rows + rejected),
  totalEur: Math.round(totalEur),
  regions,
  topSkus,
  hourlyCsv,
  _metrics: { rows, rejected, rowsPerSecond: Math.round(rows / (ms / 1000)) },
});
