import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { html, textElement } from '../html.js';
import { m } from './map-strings.js';
import type { SquadView } from '../../../src/contracts/squads.js';

/** Squads draw above the sites (markers 600) and below incidents: their own pane. */
export const SQUAD_PANE = 'squads';

function icon(squad: SquadView): L.DivIcon {
  // Status is a letter as well as a colour (待/派/途/场/返/停).
  return L.divIcon({
    className: '',
    iconSize: [20, 20],
    // Beside its point, not on it: a squad at its base site must not cover the site's marker.
    iconAnchor: [-4, -4],
    html: html`<span class="squad status-${squad.status}" data-testid="squad-marker" data-squad-code="${squad.code}" data-status="${squad.status}">${m().squadStatusGlyph[squad.status] ?? '?'}</span>`.toString(),
  });
}

/** The squads at their last known position (or their base), marked by status, moving live; reloaded after a squad import. */
export class SquadsLayer implements MapLayer {
  readonly layer = L.featureGroup();
  private readonly markers = new Map<string, { squad: SquadView; marker: L.Marker }>();
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
      const marker = L.marker([at.lat, at.lng], { icon: icon(squad), pane: SQUAD_PANE, keyboard: false })
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
      entry.marker.setIcon(icon(entry.squad));
    } else if (e.type === 'squad.position') {
      entry.marker.setLatLng([e.payload.lat, e.payload.lng]);
    }
  }
}
