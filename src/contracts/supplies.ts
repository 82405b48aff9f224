// Supplies as the API returns them: the catalog, readiness per site and a switchover's answer.

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

/** `GET /api/readiness`: per site, ready or not and what it is short of. */
export interface ReadinessView {
  sites: {
    facilityId: string;
    code: string;
    name: string;
    nameEn: string | null;
    type: string;
    areaCode: string;
    ready: boolean;
    shortfalls: ShortfallView[];
  }[];
  summary: { sites: number; ready: number };
}

/** `POST /api/switchovers`: what the switch did, and which switched sites are short of reserves. */
export interface SwitchoverResultView {
  id: string;
  mode: 'normal' | 'emergency';
  switched: string[];
  unchanged: string[];
  shortfalls: (ShortfallView & { facilityId: string })[];
}
