/// The body of a phone as one SVG in drawing units: the outline of the family (`body.outline`,
/// an SVG path) with its shading, and the printed or moulded parts that are not keys
/// (`look.decor`: handset cradle, key wells, nav plate, speaker grille, label strips, text).
/// Colours come from the family palette (`look.palette`), so a family's look is data.

import { svg } from './dom.js';

/** Palette roles and their values when a family does not set them. */
export const DEFAULT_PALETTE = {
  body: '#2b2d31',        // the shell
  edge: '#141518',        // the outline stroke
  recess: '#17181b',      // moulded recesses (cradle, wells)
  plate: '#3b3e44',       // raised plates (nav ring)
  key: '#5d6168',         // ordinary keys
  keyText: '#f1f1f1',
  keypad: '#8d929a',      // the 12 dial keys
  keypadText: '#ffffff',
  nav: '#a3a8ae',         // navigation cluster
  navText: '#1d1f22',
  label: '#e9e6da',       // paper label strips
  labelText: '#22252a',
  print: '#9aa0a8',       // printed text on the body
  led: '#37d04f',         // function-key LED, lit
};

let uid = 0;

/** A rounded rectangle as a path, for bodies without an outline of their own. */
export function roundedRectPath(w, h, r) {
  const k = Math.max(0, Math.min(r, w / 2, h / 2));
  return `M${k} 0H${w - k}Q${w} 0 ${w} ${k}V${h - k}Q${w} ${h} ${w - k} ${h}H${k}Q0 ${h} 0 ${h - k}V${k}Q0 0 ${k} 0Z`;
}

/** The resolved palette of a model (family palette over the defaults). */
export function paletteOf(model) {
  const p = (model.look && model.look.palette) || {};
  const out = { ...DEFAULT_PALETTE };
  if (model.body && typeof model.body.color === 'string') out.body = model.body.color;
  for (const [k, v] of Object.entries(p)) if (typeof v === 'string' && k in out) out[k] = v;
  return out;
}

const num = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** One decor item as SVG (null for an unknown type: the drawing stays usable). */
function decorItem(d, pal, ids) {
  const x = num(d.x), y = num(d.y), w = num(d.w), hh = num(d.h), r = num(d.r);
  const fill = typeof d.fill === 'string' ? d.fill : null;
  switch (d.type) {
    case 'recess':
      return svg('rect', { x, y, width: w, height: hh, rx: r, class: 'decor-recess', fill: fill || pal.recess, filter: `url(#${ids.inset})` });
    case 'plate':
      return svg('rect', { x, y, width: w, height: hh, rx: r, class: 'decor-plate', fill: fill || pal.plate, stroke: pal.edge, 'stroke-width': 1.5 });
    case 'disc':
      return svg('circle', { cx: num(d.cx), cy: num(d.cy), r, class: 'decor-disc', fill: fill || pal.plate, stroke: pal.edge, 'stroke-width': 1.5 });
    case 'strip':
      return svg('rect', { x, y, width: w, height: hh, rx: r, class: 'decor-strip', fill: fill || pal.label, stroke: pal.edge, 'stroke-width': 1 });
    case 'line':
      return svg('line', { x1: num(d.x1), y1: num(d.y1), x2: num(d.x2), y2: num(d.y2), stroke: fill || pal.edge, 'stroke-width': num(d.width, 2), 'stroke-linecap': 'round' });
    case 'grille': {
      const pitch = Math.max(4, num(d.pitch, 10));
      const dot = Math.max(1, num(d.dot, pitch * 0.28));
      const g = svg('g', { class: 'decor-grille', fill: fill || pal.recess });
      for (let yy = y + pitch / 2; yy < y + hh; yy += pitch) {
        for (let xx = x + pitch / 2; xx < x + w; xx += pitch) g.appendChild(svg('circle', { cx: xx.toFixed(1), cy: yy.toFixed(1), r: dot }));
      }
      return g;
    }
    case 'text': {
      const t = svg('text', {
        x, y, class: 'decor-text', fill: fill || pal.print, 'font-size': num(d.size, 14),
        'font-weight': d.weight || 'normal', 'text-anchor': d.anchor || 'start', 'letter-spacing': num(d.spacing, 0),
      });
      t.textContent = String(d.text || '');
      return t;
    }
    default:
      return null;
  }
}

/**
 * The body SVG of a resolved model: outline (or a rounded rectangle), shading, decor.
 * Pointer events pass through to the keys drawn above it.
 */
export function bodySvg(model) {
  const { width: W, height: H } = model.body;
  const pal = paletteOf(model);
  const n = ++uid;
  const ids = { sheen: `mpk-sheen-${n}`, inset: `mpk-inset-${n}`, drop: `mpk-drop-${n}` };
  const outline = typeof model.body.outline === 'string' && model.body.outline ? model.body.outline : roundedRectPath(W, H, 34);
  const defs = svg('defs', {},
    svg('linearGradient', { id: ids.sheen, x1: 0, y1: 0, x2: 0, y2: 1 },
      svg('stop', { offset: '0', 'stop-color': '#ffffff', 'stop-opacity': '0.12' }),
      svg('stop', { offset: '0.35', 'stop-color': '#ffffff', 'stop-opacity': '0' }),
      svg('stop', { offset: '1', 'stop-color': '#000000', 'stop-opacity': '0.22' })),
    svg('filter', { id: ids.inset, x: '-5%', y: '-5%', width: '110%', height: '110%' },
      svg('feOffset', { dx: 0, dy: 2, in: 'SourceAlpha', result: 'o' }),
      svg('feGaussianBlur', { stdDeviation: 3, in: 'o', result: 'b' }),
      svg('feComposite', { operator: 'out', in: 'SourceGraphic', in2: 'b', result: 'inner' }),
      svg('feFlood', { 'flood-color': '#000', 'flood-opacity': 0.55 }),
      svg('feComposite', { operator: 'in', in2: 'inner' }),
      svg('feComposite', { operator: 'over', in2: 'SourceGraphic' })),
    svg('filter', { id: ids.drop, x: '-10%', y: '-10%', width: '120%', height: '130%' },
      svg('feDropShadow', { dx: 0, dy: 10, stdDeviation: 12, 'flood-color': '#000', 'flood-opacity': 0.35 })));
  const decor = Array.isArray(model.look && model.look.decor) ? model.look.decor : [];
  return svg('svg', {
    class: 'phone-body', viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'aria-hidden': 'true', focusable: 'false', overflow: 'visible',
  },
  defs,
  svg('path', { d: outline, class: 'body-shell', fill: pal.body, stroke: pal.edge, 'stroke-width': 2, filter: `url(#${ids.drop})` }),
  svg('path', { d: outline, class: 'body-sheen', fill: `url(#${ids.sheen})` }),
  decor.map((d) => (d && typeof d === 'object' ? decorItem(d, pal, ids) : null)));
}
