import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { html } from '../html.js';
import type { IncidentView } from '../../../src/contracts/dispatch.js';

/** Open incidents; a click opens the incident panel (recommendations and dispatch for commanders). */
export class IncidentsLayer implements MapLayer {
  readonly layer = L.layerGroup();
  private readonly markers = new Map<string, L.Marker>();

  constructor(private readonly onSelect: (incidentId: string) => void) {}

  label(): string {
    return t().incidentsLayer;
  }

  async load(): Promise<void> {
    for (const i of await api<IncidentView[]>('GET', '/api/incidents?status=open')) this.add(i);
  }

  onEvent(e: EventView): void {
    if (!e.incidentId) return;
    if (e.type === 'incident.created') this.add({ id: e.incidentId, exercise: e.exercise, ...e.payload });
    if (e.type === 'incident.updated' && e.payload.status !== 'open') {
      this.markers.get(e.incidentId)?.remove();
      this.markers.delete(e.incidentId);
    }
  }

  private add(i: Pick<IncidentView, 'id' | 'exercise' | 'severity' | 'title' | 'lat' | 'lng'>): void {
    if (this.markers.has(i.id)) return;
    const icon = L.divIcon({
      className: '',
      iconSize: [30, 30],
      // Leaflet sets this string as innerHTML: built with html`` so it is escaped like the rest.
      html: html`<span class="incident sev-${i.severity}${i.exercise ? ' exercise' : ''}" data-testid="incident-marker" data-incident-id="${i.id}">!</span>`.toString(),
    });
    const marker = L.marker([i.lat, i.lng], { icon, title: i.title, zIndexOffset: 1000 }).on('click', () => this.onSelect(i.id)).addTo(this.layer);
    this.markers.set(i.id, marker);
  }
}
