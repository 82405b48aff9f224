import { api } from './api.js';
import { currentLang } from './i18n.js';

export type Mode = 'normal' | 'emergency';

export interface Facility {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  type: string;
  kind: string | null;
  areaCode: string;
  lat: number;
  lng: number;
  capacity: number | null;
  openingHours: string;
  mode: Mode;
  modeChangedAt: string | null;
  emergencyFunction: { code: string; zh: string; en: string; overridden: boolean };
}

export interface Area {
  code: string;
  name: string;
  nameEn: string | null;
  lat: number;
  lng: number;
}

export const facilityName = (f: Pick<Facility, 'name' | 'nameEn'>) => (currentLang() === 'en' && f.nameEn ? f.nameEn : f.name);
export const areaName = (a: Area) => (currentLang() === 'en' && a.nameEn ? a.nameEn : a.name);

/** The sites and areas, loaded once and kept current from live events by the facilities layer. */
export const facilityStore = {
  facilities: new Map<string, Facility>(),
  areas: [] as Area[],
  async load(): Promise<void> {
    const [list, areas] = await Promise.all([api<Facility[]>('GET', '/api/facilities'), api<Area[]>('GET', '/api/areas')]);
    this.facilities = new Map(list.map((f) => [f.id, f]));
    this.areas = areas;
  },
};
