import type L from 'leaflet';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { EventView } from '../realtime.js';

/**
 * A feature's layer on the map (facilities, squads, incidents…): one module each, registered in
 * layers/index.ts. It loads its data, draws it, and keeps it current from the live events.
 */
export interface MapLayer {
  /** Shown in the layer switcher. */
  label(): string;
  layer: L.Layer;
  /** Left off the map until the layer switcher shows it (drill incidents). */
  hiddenByDefault?: boolean;
  load(user: SessionUser): Promise<void>;
  onEvent?(event: EventView): void;
}
