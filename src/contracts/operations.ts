// The operations views the command center's panels read: alerts, readiness, the supply catalog and a
// switchover's answer. Shapes as the routes return them (API.md, "Operations" and "Supplies").
import type { EventView } from './events.js';
import type { FacilityType, Mode } from './facilities.js';

/** `GET /api/alerts`, `POST /api/alerts/:id/ack`: a warning or critical event and who acknowledged it. */
export type AlertView = EventView & { acknowledged: { by: string; at: string } | null };

/** `GET /api/supply-items`. */
export interface SupplyItemView {
  code: string;
  name: string;
  nameEn: string | null;
  unit: string;
  category: string;
  shelfLifeDays: number | null;
}

/** A site's missing reserves of one item (real, unexpired stock against its requirement). */
export interface Shortfall {
  facilityId: string;
  itemCode: string;
  required: number;
  available: number;
}

/** One site of `GET /api/readiness`. */
export interface ReadinessSiteView {
  facilityId: string;
  code: string;
  name: string;
  nameEn: string | null;
  type: FacilityType | string;
  areaCode: string;
  ready: boolean;
  shortfalls: Omit<Shortfall, 'facilityId'>[];
  expiringSoon: { itemCode: string; quantity: number; expiresOn: string }[];
  squadsNearby: { squadId: string; code: string; distanceM: number }[];
}

/** `GET /api/readiness?area=&type=`. */
export interface ReadinessView {
  sites: ReadinessSiteView[];
  summary: {
    sites: number;
    ready: number;
    byArea: Record<string, { sites: number; ready: number }>;
    byType: Record<string, { sites: number; ready: number }>;
  };
}

/** `POST /api/switchovers`: what switched and what the switched sites are short of. */
export interface SwitchoverResult {
  id: string;
  mode: Mode;
  at: string;
  switched: string[];
  unchanged: string[];
  shortfalls: Shortfall[];
}
