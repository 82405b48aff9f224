import L from '../leaflet.js';
import { facilityName, facilityStore } from '../facilities.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { html } from '../html.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';

/** One character per type, readable at a glance on a phone-sized marker. */
export const TYPE_GLYPH: Record<string, string> = {
  neighborhood_center: '中',
  service_station: '站',
  elder_canteen: '食',
  childcare_site: '托',
  health_station: '医',
  self_service_area: '自',
  day_care_room: '照',
  warm_station: '暖',
};

export interface FacilityFilter {
  area?: string;
  type?: string;
  mode?: string;
}

function icon(f: FacilityView): L.DivIcon {
  return L.divIcon({
    className: '',
    iconSize: [26, 26],
    // Leaflet sets this string as innerHTML: built with html`` so it is escaped like the rest.
    html: html`<span class="fac mode-${f.mode}" data-testid="facility-marker" data-facility-id="${f.id}" data-mode="${f.mode}" title="">${TYPE_GLYPH[f.type] ?? '?'}</span>`.toString(),
  });
}

/**
 * The sites: a marker per site showing its type and coloured by mode, clustered when zoomed out,
 * filtered by area/type/mode, recoloured the moment a facility.mode_changed event arrives, reloaded
 * when an import of sites completes.
 */
export class FacilitiesLayer implements MapLayer {
  readonly layer = L.markerClusterGroup({ disableClusteringAtZoom: 14, maxClusterRadius: 45, showCoverageOnHover: false });
  private readonly markers = new Map<string, L.Marker>();
  private filter: FacilityFilter = {};
  /** Reloads after imports, one at a time so an older answer never overwrites a newer one. */
  private reloads: Promise<void> = Promise.resolve();

  constructor(private readonly onSelect: (f: FacilityView) => void) {}

  label(): string {
    return t().facilitiesLayer;
  }

  async load(): Promise<void> {
    await facilityStore.load();
    this.render();
  }

  setFilter(filter: FacilityFilter): FacilityView[] {
    this.filter = filter;
    return this.render();
  }

  onEvent(e: EventView): void {
    if (e.type === 'import.completed' && e.payload.kind === 'facilities') {
      this.reloads = this.reloads.then(() => this.load()).catch(() => undefined);
      return;
    }
    if (e.type !== 'facility.mode_changed' || !e.facilityId) return;
    const f = facilityStore.facilities.get(e.facilityId);
    if (!f) return;
    f.mode = e.payload.to as FacilityView['mode'];
    f.modeChangedAt = e.at;
    const marker = this.markers.get(f.id);
    if (marker && this.matches(f)) marker.setIcon(icon(f));
    else this.render();
  }

  private matches(f: FacilityView): boolean {
    const { area, type, mode } = this.filter;
    return (!area || f.areaCode === area) && (!type || f.type === type) && (!mode || f.mode === mode);
  }

  private render(): FacilityView[] {
    this.layer.clearLayers();
    this.markers.clear();
    const shown = [...facilityStore.facilities.values()].filter((f) => this.matches(f));
    for (const f of shown) {
      const marker = L.marker([f.lat, f.lng], { icon: icon(f), title: facilityName(f) }).on('click', () => this.onSelect(f));
      this.markers.set(f.id, marker);
    }
    this.layer.addLayers([...this.markers.values()]);
    return shown;
  }
}
