import L from './leaflet.js';
import { esc } from './html.js';
import type { ClientConfig } from '../../src/contracts/client-config.js';

/**
 * The full-screen map of Shishi. Feature layers are added to it by their own modules. Tiles are
 * TILE_URL, with TILE_LABELS_URL over them where the base tiles carry no names (天地图).
 */
export function createMap(el: HTMLElement, config: ClientConfig): L.Map {
  const map = L.map(el, { center: config.center, zoom: config.zoom, preferCanvas: true });
  // Leaflet shows the attribution as HTML: it comes from configuration, so it is escaped.
  const attribution = esc(config.tileAttribution ?? '© OpenStreetMap contributors');
  L.tileLayer(config.tileUrl, { maxZoom: 19, attribution }).addTo(map);
  if (config.tileLabelsUrl) L.tileLayer(config.tileLabelsUrl, { maxZoom: 19, zIndex: 2 }).addTo(map);
  return map;
}
