// The model data as the tests read it, independently of the app's code (common/models/data).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODELS } from './static-server.mjs';

export const readModelJson = (file) => JSON.parse(readFileSync(path.join(MODELS, file), 'utf8'));

/** The keys one product of a family has: the family's keys minus omitted kinds and F<n> beyond its count. */
export function keysOf(familyJson, product) {
  const m = familyJson.models[product];
  const omit = new Set(m.omitKinds || []);
  const fmax = typeof m.functionKeys === 'number' ? m.functionKeys : Infinity;
  return familyJson.keys.filter((k) => {
    if (omit.has(k.kind)) return false;
    const f = /^F(\d+)$/.exec(k.id);
    return !(f && Number(f[1]) > fmax);
  });
}
