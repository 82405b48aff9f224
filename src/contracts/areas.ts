// `GET /api/areas.geojson`: the areas' approximate boundaries (RFC 7946); areas without a shape are left out.
export interface AreaShapeFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: [number, number][][] } | { type: 'MultiPolygon'; coordinates: [number, number][][][] };
  properties: { code: string; name: string; nameEn: string | null; approximate: boolean };
}

export interface AreaShapesView {
  type: 'FeatureCollection';
  features: AreaShapeFeature[];
}
