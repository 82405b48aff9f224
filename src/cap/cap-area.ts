import { distanceM } from '../common/geo.js';

export interface Point {
  lat: number;
  lng: number;
}

/** Shishi City as a whole: the centre of its built-up area and a radius that takes in the towns. */
export const CITY = { lat: 24.73, lng: 118.65, radiusKm: 15, zh: '石狮市全市', en: 'All of Shishi City' } as const;
/** Around an incident: where people nearby should take note. */
export const INCIDENT_RADIUS_KM = 2;
/** Around one site. */
export const SITE_RADIUS_KM = 0.5;

/** CAP circle: "lat,lng radius" in WGS 84 degrees and kilometres. */
export function capCircle(center: Point, radiusKm: number): string {
  const r = Math.max(0.01, Math.round(radiusKm * 100) / 100);
  return `${center.lat.toFixed(5)},${center.lng.toFixed(5)} ${r}`;
}

/**
 * A circle around every point: the centroid, out to the farthest point plus a site's margin. Not the
 * smallest enclosing circle, but never smaller than needed, which is what an alert area must be.
 */
export function enclosingCircle(points: Point[], marginKm = SITE_RADIUS_KM): { center: Point; radiusKm: number } | undefined {
  if (!points.length) return undefined;
  const center = {
    lat: points.reduce((s, p) => s + p.lat, 0) / points.length,
    lng: points.reduce((s, p) => s + p.lng, 0) / points.length,
  };
  const farthestM = points.reduce((max, p) => Math.max(max, distanceM(center, p)), 0);
  return { center, radiusKm: farthestM / 1000 + marginKm };
}

/** The named place nearest a point (for "near Xiangzhi"), when there are any. */
export function nearest<T extends Point>(places: T[], p: Point): T | undefined {
  let best: T | undefined;
  let bestM = Infinity;
  for (const place of places) {
    const m = distanceM(place, p);
    if (m < bestM) [best, bestM] = [place, m];
  }
  return best;
}
