/** `GET /api/client-config`: what the pages need before login (public). */
export interface ClientConfig {
  /** Map tile URL template with `{z}/{x}/{y}`. */
  tileUrl: string;
  /** An optional second layer of tiles with the place names (天地图's annotation layer), drawn over the first. */
  tileLabelsUrl?: string | null;
  /** Plain-text credit for the tiles. */
  tileAttribution?: string;
  /** The command center's number, for the squad phone's call button (null: none configured). */
  commandCenterPhone?: string | null;
  /** An https map URL template with {lat} and {lng}: opens a position on Android and iOS alike. */
  mapLinkUrl?: string;
  center: [number, number];
  zoom: number;
}
