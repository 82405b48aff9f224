import type { MapLayer } from './map-layer.js';

/** The map's layers, in drawing order. The feature issues add theirs here. */
export function createLayers(): MapLayer[] {
  return [];
}
