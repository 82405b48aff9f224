/** `GET /api/client-config`: what the pages need before login (public). */
export interface ClientConfig {
  /** Map tile URL template with `{z}/{x}/{y}`. */
  tileUrl: string;
  /** An optional second layer of tiles with the place names (天地图's annotation layer), drawn over the first. */
  tileLabelsUrl?: string | null;
  /** Plain-text credit for the tiles. */
  tileAttribution?: string;
  center: [number, number];
  zoom: number;
}
