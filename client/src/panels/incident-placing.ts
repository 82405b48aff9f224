import L from '../leaflet.js';
import { html, render } from '../html.js';
import { m } from '../layers/map-strings.js';

/**
 * Placing a new incident: a crosshair over the map and its markers, a visible Cancel (and Esc), and a
 * click on the map or on any marker places it (a marker gives its own position).
 */
export class IncidentPlacer {
  private banner?: HTMLElement;
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') this.stop();
  };
  private readonly onMapClick = (e: L.LeafletMouseEvent) => this.place(e.latlng);

  constructor(
    private readonly map: L.Map,
    private readonly onPlace: (at: L.LatLng) => void,
    private readonly onStop: () => void = () => undefined,
  ) {}

  get active(): boolean {
    return this.banner !== undefined;
  }

  /** Marker clicks reach the map's layers, not the map: listen on each layer that holds markers. */
  watch(layers: L.Layer[]): void {
    for (const layer of layers) {
      layer.on('click', (e: L.LeafletEvent) => {
        if (!this.active) return;
        const target = (e as L.LeafletEvent & { layer?: L.Layer }).layer ?? e.sourceTarget;
        const at = target instanceof L.Marker ? target.getLatLng() : (e as L.LeafletMouseEvent).latlng;
        if (at) this.place(at);
      });
    }
  }

  start(): void {
    if (this.active) return;
    const container = this.map.getContainer();
    container.classList.add('placing');
    this.banner = document.createElement('div');
    this.banner.className = 'placing-banner';
    this.banner.dataset.testid = 'placing-banner';
    this.banner.setAttribute('role', 'status');
    render(this.banner, html`<span>${m().placingHint}</span> <button type="button" data-action="cancel-placing">${m().placingCancel}</button>`);
    this.banner.querySelector('button')!.addEventListener('click', () => this.stop());
    container.parentElement!.append(this.banner);
    this.map.on('click', this.onMapClick);
    document.addEventListener('keydown', this.onKey);
    this.banner.querySelector('button')!.focus();
  }

  stop(): void {
    if (!this.banner) return;
    this.map.getContainer().classList.remove('placing');
    this.banner.remove();
    this.banner = undefined;
    this.map.off('click', this.onMapClick);
    document.removeEventListener('keydown', this.onKey);
    this.onStop();
  }

  private place(at: L.LatLng): void {
    this.stop();
    this.onPlace(at);
  }
}
