import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { textElement } from '../html.js';
import type { SquadView } from '../../../src/contracts/squads.js';

const STATUS_COLOUR: Record<string, string> = {
  available: '#2e7d32', assigned: '#ef6c00', en_route: '#f9a825', on_scene: '#c62828', returning: '#5e35b1', unavailable: '#9e9e9e',
};

/** The squads at their last known position (or their base), coloured by status, moving live; reloaded after a squad import. */
export class SquadsLayer implements MapLayer {
  readonly layer = L.layerGroup();
  private readonly markers = new Map<string, { squad: SquadView; marker: L.CircleMarker }>();
  /** Reloads after imports, one at a time so an older answer never overwrites a newer one. */
  private reloads: Promise<void> = Promise.resolve();

  label(): string {
    return t().squadsLayer;
  }

  async load(): Promise<void> {
    const squads = await api<SquadView[]>('GET', '/api/squads');
    this.layer.clearLayers();
    this.markers.clear();
    for (const squad of squads) {
      const at = squad.position ?? squad.basePosition;
      if (!at) continue;
      const marker = L.circleMarker([at.lat, at.lng], { radius: 7, weight: 2, color: '#fff', fillOpacity: 0.95, fillColor: STATUS_COLOUR[squad.status] })
        // An element, not a string: Leaflet puts a string tooltip in as HTML, and the name comes from an import.
        .bindTooltip(() => textElement(`${squad.code} ${squad.name} · ${t().squadStatus[squad.status]}`))
        .addTo(this.layer);
      this.markers.set(squad.id, { squad, marker });
    }
  }

  onEvent(e: EventView): void {
    if (e.type === 'import.completed' && e.payload.kind === 'squads') {
      this.reloads = this.reloads.then(() => this.load()).catch(() => undefined);
      return;
    }
    const entry = e.squadId ? this.markers.get(e.squadId) : undefined;
    if (!entry) return;
    if (e.type === 'squad.status_changed') {
      entry.squad.status = e.payload.to;
      entry.marker.setStyle({ fillColor: STATUS_COLOUR[entry.squad.status] });
    } else if (e.type === 'squad.position') {
      entry.marker.setLatLng([e.payload.lat, e.payload.lng]);
    }
  }
}
