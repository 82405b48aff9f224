import type { FacilityView } from '../contracts/facilities.js';

/** RFC 7946: a FeatureCollection of Points, coordinates [longitude, latitude]. */
export function toFeatureCollection(facilities: FacilityView[]) {
  return {
    type: 'FeatureCollection' as const,
    features: facilities.map(({ lat, lng, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.id,
      geometry: { type: 'Point' as const, coordinates: [lng, lat] },
      properties,
    })),
  };
}
