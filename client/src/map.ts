import L from './leaflet.js';
import type { ClientConfig } from '../../src/contracts/client-config.js';

/** The full-screen map of Shishi. Feature layers are added to it by their own modules. */
export function createMap(el: HTMLElement, config: ClientConfig): L.Map {
  const map = L.map(el, { center: config.center, zoom: config.zoom, preferCanvas: true });
  L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(map);
  return map;
}
