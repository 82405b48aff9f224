import { api } from './api.js';
import { currentLang } from './i18n.js';
import type { AreaView, FacilityView } from '../../src/contracts/facilities.js';

export const facilityName = (f: Pick<FacilityView, 'name' | 'nameEn'>) => (currentLang() === 'en' && f.nameEn ? f.nameEn : f.name);
export const areaName = (a: AreaView) => (currentLang() === 'en' && a.nameEn ? a.nameEn : a.name);

/** The sites and areas, loaded once and kept current from live events by the facilities layer. */
export const facilityStore = {
  facilities: new Map<string, FacilityView>(),
  areas: [] as AreaView[],
  async load(): Promise<void> {
    const [list, areas] = await Promise.all([api<FacilityView[]>('GET', '/api/facilities'), api<AreaView[]>('GET', '/api/areas')]);
    this.facilities = new Map(list.map((f) => [f.id, f]));
    this.areas = areas;
  },
};
