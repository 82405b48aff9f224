import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { html } from '../html.js';
import { m } from './map-strings.js';
import type { IncidentView } from '../../../src/contracts/dispatch.js';

/** Incidents above squads and sites. */
export const INCIDENT_PANE = 'incidents';

/**
 * Open incidents, real or drill (one layer each): a drill incident is purple, hatched and labelled
 * 演练, and its layer is off until the layer switcher shows it, so it never passes for a real one.
 * A click opens the incident panel (recommendations and dispatch for commanders).
 */
export class IncidentsLayer implements MapLayer {
  readonly layer = L.featureGroup();
  readonly hiddenByDefault: boolean;
  private readonly markers = new Map<string, L.Marker>();

  constructor(
    private readonly onSelect: (incidentId: string) => void,
    private readonly exercise = false,
  ) {
    this.hiddenByDefault = exercise;
  }

  label(): string {
    return this.exercise ? m().drillIncidentsLayer : t().incidentsLayer;
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
    if (i.exercise !== this.exercise || this.markers.has(i.id)) return;
    const icon = L.divIcon({
      className: '',
      iconSize: [30, 30],
      // Leaflet sets this string as innerHTML: built with html`` so it is escaped like the rest.
      html: html`<span class="incident sev-${i.severity}${i.exercise ? ' exercise' : ''}" data-testid="incident-marker" data-incident-id="${i.id}" data-exercise="${i.exercise}"><b>!</b></span>${
        i.exercise ? html`<span class="drill-tag">${m().drill}</span>` : ''}`.toString(),
    });
    const title = i.exercise ? `${m().drill} · ${i.title}` : i.title;
    const marker = L.marker([i.lat, i.lng], { icon, title, pane: INCIDENT_PANE }).on('click', () => this.onSelect(i.id)).addTo(this.layer);
    this.markers.set(i.id, marker);
  }
}
