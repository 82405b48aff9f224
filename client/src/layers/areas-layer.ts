import { api } from '../api.js';
import L from '../leaflet.js';
import { textElement } from '../html.js';
import { currentLang } from '../i18n.js';
import type { MapLayer } from './map-layer.js';
import { m } from './map-strings.js';
import { setAreaShapes } from './names.js';
import type { AreaShapeFeature, AreaShapesView } from '../../../src/contracts/areas.js';

/** The area's name as a text node (Leaflet would read a string as HTML). */
function areaLabel(f: AreaShapeFeature): HTMLElement {
  const label = textElement(currentLang() === 'en' && f.properties.nameEn ? f.properties.nameEn : f.properties.name);
  label.dataset.testid = 'area-label';
  label.dataset.area = f.properties.code;
  return label;
}

/** Panes under the site markers (600): the outlines at 350, their names at 450, so neither covers a site. */
export const AREA_PANE = 'areas';
export const AREA_LABEL_PANE = 'areaLabels';

/**
 * The areas' approximate boundaries and names, so the map reads without tiles (an intranet, blocked
 * tiles). Outlines only, not clickable: a click goes through to the map (placing an incident).
 * Imported areas without a shape simply have none.
 */
export class AreasLayer implements MapLayer {
  readonly layer = L.featureGroup();

  label(): string {
    return m().areasLayer;
  }

  /** The panes must exist before anything is drawn in them. */
  static panes(map: L.Map): void {
    if (map.getPane(AREA_PANE)) return;
    map.createPane(AREA_PANE).style.zIndex = '350';
    const labels = map.createPane(AREA_LABEL_PANE);
    labels.style.zIndex = '450';
    labels.style.pointerEvents = 'none';
  }

  async load(): Promise<void> {
    const shapes = await api<AreaShapesView>('GET', '/api/areas.geojson');
    setAreaShapes(shapes.features);
    this.layer.clearLayers();
    // SVG in its own pane: a canvas there would catch the clicks meant for the map.
    const renderer = L.svg({ pane: AREA_PANE });
    for (const f of shapes.features) {
      const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      const latlngs = polygons.map((rings) => rings.map((ring) => ring.map(([lng, lat]) => L.latLng(lat, lng))));
      const shape = L.polygon(latlngs, {
        pane: AREA_PANE, renderer, interactive: false,
        color: '#12355b', weight: 2, opacity: 0.7, dashArray: '6 4', fillColor: '#12355b', fillOpacity: 0.04, className: 'area-shape',
      });
      shape.bindTooltip(areaLabel(f), { permanent: true, direction: 'center', className: 'area-label', pane: AREA_LABEL_PANE, interactive: false });
      shape.addTo(this.layer);
    }
  }
}
