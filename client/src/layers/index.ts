import { FacilitiesLayer } from './facilities-layer.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';
import { IncidentsLayer } from './incidents-layer.js';
import type { MapLayer } from './map-layer.js';
import { SquadsLayer } from './squads-layer.js';

export interface Layers {
  facilities: FacilitiesLayer;
  all: MapLayer[];
}

/** The map's layers, in drawing order. Each feature adds its own module here. */
export function createLayers(handlers: { onFacility: (f: FacilityView) => void; onIncident: (id: string) => void }): Layers {
  const facilities = new FacilitiesLayer(handlers.onFacility);
  return { facilities, all: [facilities, new SquadsLayer(), new IncidentsLayer(handlers.onIncident)] };
}
