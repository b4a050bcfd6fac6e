/// Small line icons for the `icon` hints of the model data (24×24, stroke = currentColor).
/// Unknown hints get no icon; the key then shows its label text.

import { svg } from './dom.js';

const P = {
  handset: ['M6 3h3l1.5 4.5-2 1.5a11 11 0 0 0 6.5 6.5l1.5-2L21 15v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z'],
  back: ['M9 14L4 9l5-5', 'M4 9h10a6 6 0 0 1 0 12h-3'],
  home: ['M3 11l9-8 9 8', 'M5 10v10h5v-6h4v6h5V10'],
  menu: ['M4 6h16', 'M4 12h16', 'M4 18h16'],
  speaker: ['M4 9h4l5-4v14l-5-4H4z', 'M16 9a4 4 0 0 1 0 6', 'M18.5 6.5a8 8 0 0 1 0 11'],
  headset: ['M4 14v-2a8 8 0 0 1 16 0v2', 'M4 14h3v6H4z', 'M17 14h3v6h-3z', 'M20 20a4 4 0 0 1-4 2h-3'],
  mute: ['M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0', 'M12 18v3', 'M3 3l18 18'],
  'vol-down': ['M4 9h4l5-4v14l-5-4H4z', 'M16 12h5'],
  'vol-up': ['M4 9h4l5-4v14l-5-4H4z', 'M16 12h5', 'M18.5 9.5v5'],
  flash: ['M13 3L6 13h5l-1 8 7-10h-5z'],
  redial: ['M4 12a8 8 0 1 0 2.5-5.8', 'M4 4v4h4'],
  shift: ['M12 4l8 8h-4v7H8v-7H4z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  grid: ['M5 5h4v4H5z', 'M15 5h4v4h-4z', 'M5 15h4v4H5z', 'M15 15h4v4h-4z'],
  minus: ['M5 12h14'],
  plus: ['M5 12h14', 'M12 5v14'],
};

/** An <svg> for an icon hint, or null. */
export function icon(name, cls = 'icon') {
  const paths = P[name];
  if (!paths) return null;
  return svg('svg', { viewBox: '0 0 24 24', class: cls, 'aria-hidden': 'true', focusable: 'false' },
    paths.map((d) => svg('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' })));
}

/** True if an icon exists for the hint. */
export function hasIcon(name) { return !!P[name]; }
