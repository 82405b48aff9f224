import L from '../leaflet.js';
import { areaName, facilityStore } from '../facilities.js';
import { t } from '../strings.js';
import type { FacilitiesLayer, FacilityFilter } from '../layers/facilities-layer.js';
import { TYPE_GLYPH } from '../layers/facilities-layer.js';
import { html, render } from '../html.js';
import { m } from '../layers/map-strings.js';

/** Area / type / mode filters and the legend; choosing an area zooms to its sites. */
export class FacilityFilterControl extends L.Control {
  constructor(private readonly layer: FacilitiesLayer) {
    super({ position: 'topleft' });
  }

  override onAdd(map: L.Map): HTMLElement {
    const box = L.DomUtil.create('section', 'panel filters');
    box.dataset.testid = 'facility-filters';
    const option = (value: string, label: string) => html`<option value="${value}">${label}</option>`;
    const areaOptions = () => html`${option('', t().allAreas)}${facilityStore.areas.map((a) => option(a.code, areaName(a)))}`;
    render(box, html`
      <select name="area" aria-label="${m().filterArea}">${areaOptions()}</select>
      <select name="type" aria-label="${m().filterType}">${option('', t().allTypes)}${Object.keys(TYPE_GLYPH).map((k) => option(k, t().types[k]))}</select>
      <select name="mode" aria-label="${m().filterMode}">${option('', t().allModes)}${option('normal', t().modeNormal)}${option('emergency', t().modeEmergency)}</select>
      <details><summary>${t().legend}</summary>
        <ul class="legend">
          ${Object.entries(TYPE_GLYPH).map(([k, g]) => html`<li><span class="fac mode-normal">${g}</span> ${t().types[k]}</li>`)}
          <li><span class="fac mode-normal"> </span> ${t().modeNormal} <span class="fac mode-emergency"> </span> ${t().modeEmergency}</li>
        </ul>
      </details>`);
    L.DomEvent.disableClickPropagation(box);
    // An import may add areas while the page is open: the list is brought up to date when opened.
    const areaSelect = box.querySelector<HTMLSelectElement>('select[name=area]')!;
    areaSelect.addEventListener('focus', () => {
      if (areaSelect.options.length === facilityStore.areas.length + 1) return;
      const chosen = areaSelect.value;
      render(areaSelect, areaOptions());
      areaSelect.value = chosen;
    });
    box.addEventListener('change', () => {
      const value = (name: string) => box.querySelector<HTMLSelectElement>(`select[name=${name}]`)!.value || undefined;
      const filter: FacilityFilter = { area: value('area'), type: value('type'), mode: value('mode') };
      const shown = this.layer.setFilter(filter);
      if (filter.area && shown.length) map.fitBounds(L.latLngBounds(shown.map((f) => [f.lat, f.lng])), { padding: [30, 30], maxZoom: 15 });
    });
    return box;
  }
}
