// Supplies as the API returns them: the catalog, readiness per site and a switchover's shortfalls.
import type { FacilityType, Mode } from './facilities.js';

/** `GET /api/supply-items`. */
export interface SupplyItemView {
  code: string;
  name: string;
  nameEn: string | null;
  unit: string;
  category: string;
  shelfLifeDays: number | null;
}

/** One item a site holds less of than it must (usable, unexpired lots against the requirement). */
export interface ShortfallView {
  itemCode: string;
  required: number;
  available: number;
}

/** A shortfall at a named site (readiness checks, a switchover's answer). */
export type FacilityShortfallView = ShortfallView & { facilityId: string };

/** One site of `GET /api/readiness`: ready or not, what it is short of, what expires soon, who is near. */
export interface ReadinessSiteView {
  facilityId: string;
  code: string;
  name: string;
  nameEn: string | null;
  type: FacilityType;
  areaCode: string;
  ready: boolean;
  shortfalls: ShortfallView[];
  expiringSoon: { itemCode: string; quantity: number; expiresOn: string }[];
  squadsNearby: { squadId: string; code: string; distanceM: number }[];
}

/** `GET /api/readiness?area=&type=`: per site, and counted per area and type. */
export interface ReadinessView {
  sites: ReadinessSiteView[];
  summary: {
    sites: number;
    ready: number;
    byArea: Record<string, { sites: number; ready: number }>;
    byType: Record<string, { sites: number; ready: number }>;
  };
}

/** `POST /api/switchovers`: what switched, and what the switched sites are short of. */
export interface SwitchoverResult {
  id: string;
  mode: Mode;
  at: string;
  switched: string[];
  unchanged: string[];
  /** Reserves missing at the switched sites: what the command center must send where. */
  shortfalls: FacilityShortfallView[];
  /** The 叫应 round asking the managers of the switched sites to confirm (emergency switchovers with managed sites). */
  rollCallId?: string;
}
