import './map.css';
import type L from 'leaflet';
import { AreasLayer } from './areas-layer.js';
import { FacilitiesLayer } from './facilities-layer.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';
import { INCIDENT_PANE, IncidentsLayer } from './incidents-layer.js';
import type { MapLayer } from './map-layer.js';
import { SQUAD_PANE, SquadsLayer } from './squads-layer.js';

export interface Layers {
  facilities: FacilitiesLayer;
  all: MapLayer[];
}

/** The panes the layers draw in, bottom to top: areas (350), area names (450), sites (Leaflet's markers, 600), squads, incidents. */
export function createPanes(map: L.Map): void {
  AreasLayer.panes(map);
  if (!map.getPane(SQUAD_PANE)) map.createPane(SQUAD_PANE).style.zIndex = '620';
  if (!map.getPane(INCIDENT_PANE)) map.createPane(INCIDENT_PANE).style.zIndex = '640';
  // At city zoom squads shrink to dots, so they do not hide the clusters' emergency share.
  const zoomClass = () => map.getContainer().classList.toggle('zoom-city', map.getZoom() < 14);
  map.on('zoomend', zoomClass);
  zoomClass();
}

/** The map's layers, in drawing order. Each feature adds its own module here. */
export function createLayers(handlers: { onFacility: (f: FacilityView) => void; onIncident: (id: string) => void }): Layers {
  const facilities = new FacilitiesLayer(handlers.onFacility);
  return {
    facilities,
    all: [new AreasLayer(), facilities, new SquadsLayer(), new IncidentsLayer(handlers.onIncident), new IncidentsLayer(handlers.onIncident, true)],
  };
}
