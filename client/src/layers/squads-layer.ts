import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../i18n.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';

interface Squad {
  id: string;
  code: string;
  name: string;
  status: string;
  position: { lat: number; lng: number } | null;
  basePosition?: { lat: number; lng: number } | null;
}

const STATUS_COLOUR: Record<string, string> = {
  available: '#2e7d32', assigned: '#ef6c00', en_route: '#f9a825', on_scene: '#c62828', returning: '#5e35b1', unavailable: '#9e9e9e',
};

/** The squads at their last known position (or their base), coloured by status, moving live. */
export class SquadsLayer implements MapLayer {
  readonly layer = L.layerGroup();
  private readonly markers = new Map<string, { squad: Squad; marker: L.CircleMarker }>();

  label(): string {
    return t().squadsLayer;
  }

  async load(): Promise<void> {
    const squads = await api<Squad[]>('GET', '/api/squads');
    for (const squad of squads) {
      const at = squad.position ?? squad.basePosition;
      if (!at) continue;
      const marker = L.circleMarker([at.lat, at.lng], { radius: 7, weight: 2, color: '#fff', fillOpacity: 0.95, fillColor: STATUS_COLOUR[squad.status] })
        .bindTooltip(() => `${squad.code} ${squad.name} · ${t().squadStatus[squad.status]}`)
        .addTo(this.layer);
      this.markers.set(squad.id, { squad, marker });
    }
  }

  onEvent(e: EventView): void {
    const entry = e.squadId ? this.markers.get(e.squadId) : undefined;
    if (!entry) return;
    if (e.type === 'squad.status_changed') {
      entry.squad.status = String(e.payload.to);
      entry.marker.setStyle({ fillColor: STATUS_COLOUR[entry.squad.status] });
    } else if (e.type === 'squad.position') {
      entry.marker.setLatLng([Number(e.payload.lat), Number(e.payload.lng)]);
    }
  }
}
