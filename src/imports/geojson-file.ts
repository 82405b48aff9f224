import { DomainError } from '../common/domain-error.js';
import type { RawRow } from './import-file.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import { rowText } from '../common/messages/rows.js';
import { inspectInput } from '../common/input-boundary.js';

/**
 * The line on which each element of the top-level "features" array starts, so errors in a GeoJSON
 * file can name a line as CSV errors do (JSON.parse gives no positions). A small scanner: it tracks
 * strings and nesting only.
 */
export function featureLines(text: string): number[] {
  const lines: number[] = [];
  const stack: string[] = [];
  let line = 1;
  let lastString = '';
  let featuresDepth = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = text.slice(i + 1, j);
      i = j;
    } else if (c === '{' || c === '[') {
      if (c === '[' && stack.length === 1 && lastString === 'features') featuresDepth = 2;
      else if (c === '{' && stack.length === featuresDepth) lines.push(line);
      stack.push(c);
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length < featuresDepth) featuresDepth = -1;
    }
  }
  return lines;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An RFC 7946 FeatureCollection of Points → one RawRow per feature: its properties, with `lat` and
 * `lng` from the geometry ([longitude, latitude]). A file that is not a FeatureCollection is refused
 * whole; a feature with the wrong geometry is a row error.
 */
export function readGeoJsonRows(text: string): { rows: RawRow[]; errors: RowError[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    throw new DomainError('IMPORT.NOT_JSON', 'invalid', `The file is not valid JSON (${(e as Error).message}). A GeoJSON FeatureCollection is expected.`);
  }
  // JSON escapes (\u0000, \ud800) become text only now: the same input boundary as request bodies.
  const unsafe = inspectInput(doc, 'The file');
  if (unsafe) throw unsafe;
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new DomainError('IMPORT.NOT_FEATURE_COLLECTION', 'invalid', 'The file must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}.');
  }
  if (!doc.features.length) throw new DomainError('IMPORT.EMPTY_FILE', 'invalid', { reason: 'no_features' });
  const lines = featureLines(text);
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  doc.features.forEach((feature: unknown, i) => {
    const line = lines[i] ?? 1;
    const where = `feature ${i + 1}`;
    if (!isObject(feature) || feature.type !== 'Feature') return void errors.push({ line, ...rowText('notFeature', { where }) });
    const geometry = feature.geometry;
    if (!isObject(geometry) || geometry.type !== 'Point') {
      const got = isObject(geometry) ? String(geometry.type) : 'none';
      return void errors.push({ line, field: 'geometry', ...rowText('notPoint', { where, got }) });
    }
    const coordinates = geometry.coordinates;
    if (!Array.isArray(coordinates) || coordinates.length < 2 || !coordinates.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return void errors.push({ line, field: 'geometry', ...rowText('badCoordinates', { where }) });
    }
    const properties = isObject(feature.properties) ? feature.properties : {};
    rows.push({ line, values: { ...properties, lng: coordinates[0], lat: coordinates[1] } });
  });
  return { rows, errors };
}
