import type { Realtime } from '../realtime.js';
import { t } from './strings.js';
import { html, render } from '../html.js';

const EVERY_MS = 10_000;

/** Shares the phone's position, only after the leader turns it on (and the browser asks for consent). */
export class PositionSharing {
  private watch?: number;
  private lastSent = 0;

  constructor(el: HTMLElement, private readonly realtime: Realtime) {
    render(el, html`<label class="share"><input type="checkbox" data-action="share-position" /> <span>${t().sharePosition}</span></label>`);
    const box = el.querySelector<HTMLInputElement>('input')!;
    box.addEventListener('change', () => (box.checked ? this.start(el) : this.stop(el)));
  }

  private start(el: HTMLElement): void {
    if (!('geolocation' in navigator)) return;
    this.watch = navigator.geolocation.watchPosition(
      (p) => {
        if (Date.now() - this.lastSent < EVERY_MS) return;
        this.lastSent = Date.now();
        void this.realtime.sendPosition({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy });
      },
      () => this.stop(el),
      { enableHighAccuracy: true, maximumAge: 5000 },
    );
    el.querySelector('span')!.textContent = t().sharingPosition;
  }

  private stop(el: HTMLElement): void {
    if (this.watch !== undefined) navigator.geolocation.clearWatch(this.watch);
    this.watch = undefined;
    el.querySelector('input')!.checked = false;
    el.querySelector('span')!.textContent = t().sharePosition;
  }
}
