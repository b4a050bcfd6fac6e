// Writes web/innovaphone-myphonekeys.png (64×64 RGBA): the same picture as the SVG icon,
// rasterised here with 4×4 supersampling, because the build machines have no SVG renderer.
// Usage: node tests/browser/tools/make-icon.mjs [output.png]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { encodePng } from '../png.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || path.join(here, '..', '..', '..', 'web', 'innovaphone-myphonekeys.png');
const S = 64;

const hex = (c) => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
const rrect = (x, y, w, h, r, fill) => ({ fill: hex(fill), inside: (px, py) => {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r), cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
} });
const circle = (cx, cy, r, fill) => ({ fill: hex(fill), inside: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r });

// Keep in step with web/innovaphone-myphonekeys.svg.
const shapes = [
  rrect(0, 0, 64, 64, 14, '#0a7cc1'),
  rrect(8, 16, 48, 34, 6, '#23262b'),
  rrect(11, 19, 9, 28, 4.5, '#474c53'),
  rrect(23, 20, 19, 13, 2, '#bfe6ff'),
  rrect(45, 20, 8, 3.5, 1, '#8d929a'),
  rrect(45, 25.5, 8, 3.5, 1, '#8d929a'),
  rrect(45, 31, 8, 3.5, 1, '#8d929a'),
  ...[27, 32.5, 38].flatMap((x) => [circle(x, 39, 2, '#c9cdd2'), circle(x, 44.5, 2, '#c9cdd2')]),
  circle(49, 42, 2.2, '#2e9e44'),
];

const N = 4;
const px = new Uint8Array(S * S * 4);
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < N; sy++) for (let sx = 0; sx < N; sx++) {
      const qx = x + (sx + 0.5) / N, qy = y + (sy + 0.5) / N;
      let col = null;
      for (const s of shapes) if (s.inside(qx, qy)) col = s.fill;   // last shape on top
      if (col) { r += col[0]; g += col[1]; b += col[2]; a += 1; }
    }
    const o = (y * S + x) * 4;
    px[o] = a ? Math.round(r / a) : 0; px[o + 1] = a ? Math.round(g / a) : 0; px[o + 2] = a ? Math.round(b / a) : 0;
    px[o + 3] = Math.round((a / (N * N)) * 255);
  }
}
const png = encodePng(S, S, px);
writeFileSync(out, png);
console.log(`wrote ${png.length} bytes`);
