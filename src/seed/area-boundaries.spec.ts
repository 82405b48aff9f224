import { AREAS } from '../contracts/facilities.js';
import { areaBoundaries, convexHull, type Ring } from './area-boundaries.js';
import { shishiNetwork } from './shishi-network.js';

/** Whether a point lies inside a ring (ray casting). */
function inside(ring: Ring, [x, y]: [number, number]): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}
const signedArea = (ring: Ring) => ring.slice(0, -1).reduce((s, [x, y], i) => s + x * ring[i + 1][1] - ring[i + 1][0] * y, 0) / 2;

describe('approximate area boundaries', () => {
  const { facilities } = shishiNetwork();
  const rings = areaBoundaries([...AREAS], facilities);

  it('gives each of the nine areas one closed, counterclockwise ring (RFC 7946)', () => {
    expect([...rings.keys()].sort()).toEqual(AREAS.map((a) => a.code).sort());
    for (const ring of rings.values()) {
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(signedArea(ring)).toBeGreaterThan(0);
    }
  });

  it('partitions the city: every site lies in exactly one shape, most in their own area', () => {
    let own = 0;
    for (const f of facilities) {
      const containing = [...rings].filter(([, ring]) => inside(ring, [f.lng, f.lat])).map(([code]) => code);
      expect(containing).toHaveLength(1);
      if (containing[0] === f.area_code) own++;
    }
    expect(own / facilities.length).toBeGreaterThan(0.75);
  });

  it('takes the convex hull counterclockwise', () => {
    expect(convexHull([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 1]]);
  });
});
