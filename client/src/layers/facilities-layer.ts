import L from '../leaflet.js';
import { facilityName, facilityStore } from '../facilities.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import type { MapLayer } from './map-layer.js';
import { html } from '../html.js';
import { m } from './map-strings.js';
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

/** A site marker remembers which site it is, so a cluster can count the modes inside it. */
interface SiteMarkerOptions extends L.MarkerOptions {
  facilityId: string;
}

function icon(f: FacilityView): L.DivIcon {
  return L.divIcon({
    className: '',
    iconSize: [26, 26],
    // Leaflet sets this string as innerHTML: built with html`` so it is escaped like the rest.
    // Mode is shape as well as colour: a circle in peacetime, a square in emergency.
    html: html`<span class="fac mode-${f.mode}" data-testid="facility-marker" data-facility-id="${f.id}" data-mode="${f.mode}">${TYPE_GLYPH[f.type] ?? '?'}</span>`.toString(),
  });
}

/**
 * A cluster says how many of its sites are in emergency: a red share of its ring (a conic gradient)
 * and, so that it is not colour alone, the count of emergency sites in text.
 */
function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  const children = cluster.getAllChildMarkers();
  let emergency = 0;
  for (const c of children) if (facilityStore.facilities.get((c.options as SiteMarkerOptions).facilityId)?.mode === 'emergency') emergency++;
  const total = children.length;
  const share = Math.round((emergency / total) * 360);
  const size = total < 10 ? 34 : total < 100 ? 40 : 48;
  return L.divIcon({
    className: '',
    iconSize: [size, size],
    html: html`<div class="site-cluster${emergency ? ' has-emergency' : ''}" style="--share:${share}deg" data-testid="site-cluster"
      data-total="${total}" data-emergency="${emergency}" title="${m().clusterLabel(total, emergency)}" aria-label="${m().clusterLabel(total, emergency)}">
      <span class="count">${total}</span>${emergency ? html`<span class="em">急${emergency}</span>` : ''}</div>`.toString(),
  });
}

/**
 * The sites: a marker per site showing its type and its mode, clustered when zoomed out (clusters show
 * the emergency share), stacked sites spiderfied at the last zoom, filtered by area/type/mode. A live
 * event touches only the markers it concerns, and events arriving together are applied once per frame.
 */
export class FacilitiesLayer implements MapLayer {
  readonly layer = L.markerClusterGroup({
    // From zoom 14 only sites at (almost) the same spot stay together: a click spreads them out.
    maxClusterRadius: (zoom: number) => (zoom >= 14 ? 1 : 45),
    spiderfyOnMaxZoom: true,
    showCoverageOnHover: false,
    chunkedLoading: true,
    chunkInterval: 50,
    iconCreateFunction: clusterIcon,
  });
  private readonly markers = new Map<string, L.Marker>();
  /** Ids of the markers now in the cluster group (those matching the filter). */
  private readonly shown = new Set<string>();
  private filter: FacilityFilter = {};
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  /** Reloads after imports, one at a time so an older answer never overwrites a newer one. */
  private reloads: Promise<void> = Promise.resolve();

  constructor(private readonly onSelect: (f: FacilityView) => void) {}

  label(): string {
    return t().facilitiesLayer;
  }

  get currentFilter(): FacilityFilter {
    return { ...this.filter };
  }

  async load(): Promise<void> {
    await facilityStore.load();
    this.markers.clear();
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
    f.mode = e.payload.to;
    f.modeChangedAt = e.at;
    this.pending.add(f.id);
    this.scheduleFlush();
  }

  /** Once per frame (or soon, if the page is hidden and frames do not come). */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      if (!this.flushScheduled) return;
      this.flushScheduled = false;
      this.flush();
    };
    requestAnimationFrame(run);
    setTimeout(run, 250);
  }

  /** Applies the changed sites: recolour those shown, add or remove those the filter now takes or drops. */
  private flush(): void {
    const recoloured: L.Marker[] = [];
    const added: L.Marker[] = [];
    const removed: L.Marker[] = [];
    for (const id of this.pending) {
      const f = facilityStore.facilities.get(id);
      if (!f) continue;
      const marker = this.markerOf(f);
      marker.setIcon(icon(f));
      marker.options.title = this.title(f);
      const wanted = this.matches(f);
      if (wanted && this.shown.has(id)) recoloured.push(marker);
      else if (wanted) {
        added.push(marker);
        this.shown.add(id);
      } else if (this.shown.has(id)) {
        removed.push(marker);
        this.shown.delete(id);
      }
    }
    this.pending.clear();
    if (removed.length) this.layer.removeLayers(removed);
    if (added.length) this.layer.addLayers(added);
    if (recoloured.length) this.layer.refreshClusters(recoloured);
  }

  private title(f: FacilityView): string {
    return `${facilityName(f)} · ${m().modeName[f.mode]}`;
  }

  private markerOf(f: FacilityView): L.Marker {
    let marker = this.markers.get(f.id);
    if (!marker) {
      const options: SiteMarkerOptions = { icon: icon(f), title: this.title(f), facilityId: f.id };
      marker = L.marker([f.lat, f.lng], options).on('click', () => this.onSelect(facilityStore.facilities.get(f.id) ?? f));
      this.markers.set(f.id, marker);
    }
    return marker;
  }

  private matches(f: FacilityView): boolean {
    const { area, type, mode } = this.filter;
    return (!area || f.areaCode === area) && (!type || f.type === type) && (!mode || f.mode === mode);
  }

  private render(): FacilityView[] {
    this.layer.clearLayers();
    this.shown.clear();
    const shown = [...facilityStore.facilities.values()].filter((f) => this.matches(f));
    const markers = shown.map((f) => {
      this.shown.add(f.id);
      const marker = this.markerOf(f);
      marker.setIcon(icon(f));
      return marker;
    });
    this.layer.addLayers(markers);
    return shown;
  }
}
