import L from '../leaflet.js';
import { t } from '../strings.js';
import type { ConnectionState } from '../realtime.js';

/** Connected / reconnecting / offline, always visible: a command center must know if it is blind. */
export class ConnectionIndicator extends L.Control {
  private el?: HTMLElement;

  constructor() {
    super({ position: 'bottomleft' });
  }

  override onAdd(): HTMLElement {
    this.el = L.DomUtil.create('div', 'panel connection');
    this.el.dataset.testid = 'connection';
    return this.el;
  }

  override onRemove(): void {
    this.el = undefined;
  }

  show(state: ConnectionState): void {
    if (!this.el) return;
    this.el.dataset.state = state;
    this.el.textContent = `● ${t()[state]}`;
  }
}
