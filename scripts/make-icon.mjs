// Draws media/icon.png, the 128 × 128 Marketplace and Open VSX icon: the activity-bar glyph's
// three nodes of a workflow over a pulse line, on a rounded dark-blue square. Pure Node (zlib for
// the PNG), anti-aliased by 4 × 4 supersampling, so it can be redrawn anywhere:
//   node scripts/make-icon.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Buffer } from 'node:buffer';
import * as zlib from 'node:zlib';

const SIZE = 128;
const SS = 4; // subsamples per axis
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const BACKGROUND = [0x1f, 0x3b, 0x5c];
const NODE = [0xf2, 0xf6, 0xfa];
const EDGE = [0xa9, 0xc1, 0xd9];
const PULSE = [0xf5, 0xa6, 0x23];

/** Inside a rounded rectangle [x0, x1] × [y0, y1] with corner radius r. */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Within half a stroke width of the segment a–b (round caps). */
function nearSegment(x, y, [ax, ay], [bx, by], width) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (width / 2) ** 2;
}

function nearPolyline(x, y, points, width) {
  for (let i = 1; i < points.length; i++) {
    if (nearSegment(x, y, points[i - 1], points[i], width)) return true;
  }
  return false;
}

const edges = [
  [
    [34, 36],
    [34, 52],
    [94, 52],
    [94, 36],
  ],
  [
    [64, 52],
    [64, 66],
  ],
];
const nodes = [
  [18, 18, 50, 40],
  [78, 18, 110, 40],
  [48, 64, 80, 86],
];
const pulse = [
  [16, 108],
  [44, 108],
  [52, 96],
  [62, 118],
  [70, 104],
  [76, 108],
  [112, 108],
];

/** The colour of one subsample, painted back to front; null outside the icon. */
function colourAt(x, y) {
  if (!inRoundRect(x, y, 0, 0, SIZE, SIZE, 24)) return null;
  let c = BACKGROUND;
  if (edges.some((e) => nearPolyline(x, y, e, 5))) c = EDGE;
  if (nodes.some(([x0, y0, x1, y1]) => inRoundRect(x, y, x0, y0, x1, y1, 5))) c = NODE;
  if (nearPolyline(x, y, pulse, 6)) c = PULSE;
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colourAt(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a += 1;
      }
    }
    const at = py * (SIZE * 4 + 1) + 1 + px * 4;
    // Colour averaged over the covered subsamples (straight alpha), alpha the coverage.
    raw[at] = a ? Math.round(r / a) : 0;
    raw[at + 1] = a ? Math.round(g / a) : 0;
    raw[at + 2] = a ? Math.round(b / a) : 0;
    raw[at + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(root, 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`${path.relative(root, out)}: ${png.length} bytes`);
