// Approximate area shapes for a map that has no tiles: each area is the part of the city nearer its
// centre than any other (a Voronoi cell), cut out of the convex hull of all the sites with a margin.
// Approximate by design — the real 街道/镇 boundaries are not open data — but every site falls in the
// shape of the area nearest it, which is what a commander reading the map needs.

type Point = [lng: number, lat: number];
/** A closed ring of [lng, lat], counterclockwise (RFC 7946 exterior ring). */
export type Ring = Point[];

/** Longitude degrees are shorter than latitude degrees at Shishi's latitude: compare on equal footing. */
const LNG_SCALE = Math.cos((24.73 * Math.PI) / 180);
const MARGIN_DEG = 0.006; // ≈ 650 m beyond the outermost sites

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull, counterclockwise (Andrew's monotone chain). */
export function convexHull(points: Point[]): Point[] {
  const ps = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (ps.length < 3) return ps;
  const half = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  return [...half(ps), ...half([...ps].reverse())];
}

/** Moves each vertex outward from the centroid by `margin` degrees. */
function grow(polygon: Point[], margin: number): Point[] {
  const cx = polygon.reduce((s, p) => s + p[0], 0) / polygon.length;
  const cy = polygon.reduce((s, p) => s + p[1], 0) / polygon.length;
  return polygon.map(([x, y]) => {
    const d = Math.hypot((x - cx) * LNG_SCALE, y - cy) || 1;
    return [x + ((x - cx) * margin) / d, y + ((y - cy) * margin) / d];
  });
}

/** Keeps the part of a convex polygon nearer `own` than `other` (one Sutherland–Hodgman step). */
function clipNearer(polygon: Point[], own: Point, other: Point): Point[] {
  // In scaled coordinates: keep p where (other − own)·p ≤ (|other|² − |own|²) / 2.
  const s = (p: Point): Point => [p[0] * LNG_SCALE, p[1]];
  const [a, b] = [s(own), s(other)];
  const n = [b[0] - a[0], b[1] - a[1]];
  const limit = (b[0] ** 2 + b[1] ** 2 - a[0] ** 2 - a[1] ** 2) / 2;
  const side = (p: Point) => n[0] * s(p)[0] + n[1] * s(p)[1] - limit;
  const out: Point[] = [];
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length];
    const [sp, sq] = [side(p), side(q)];
    if (sp <= 0) out.push(p);
    if (sp * sq < 0) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  });
  return out;
}

const round = ([x, y]: Point): Point => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];

/** One closed ring per area code: its cell among the other centres, within the sites' grown hull. */
export function areaBoundaries(centres: { code: string; lat: number; lng: number }[], sites: { lat: number; lng: number }[]): Map<string, Ring> {
  const outline = grow(convexHull(sites.map((p) => [p.lng, p.lat])), MARGIN_DEG);
  const rings = new Map<string, Ring>();
  for (const c of centres) {
    let cell = outline;
    for (const o of centres) if (o !== c) cell = clipNearer(cell, [c.lng, c.lat], [o.lng, o.lat]);
    if (cell.length >= 3) rings.set(c.code, [...cell.map(round), round(cell[0])]);
  }
  return rings;
}
