import { toCsv, withBom } from '../common/csv.js';
import { FACILITY_COLUMNS_IN_FILES } from './dto/facility-import-row.dto.js';
import { SQUAD_COLUMNS_IN_FILES } from './dto/squad-import-row.dto.js';

type Row = Record<string, string | number | boolean | null>;

// Examples that import as they are (facilities first: the squad's base is the example center).
const EXAMPLE_SITES: Row[] = [
  {
    code: 'EX-NC-01', name: '示例社区邻里中心', nameEn: 'Example Neighborhood Center', type: 'neighborhood_center', kind: 'urban_community',
    areaCode: 'xiangzhi', areaName: null, gridZoneCode: null, lat: 24.781, lng: 118.752, capacity: 200, openingHours: '08:00-20:00',
    parentCode: null, emergencyFunction: null,
  },
  {
    code: 'EX-HS-01', name: '示例健康小屋', nameEn: 'Example Health Cabin', type: 'health_station', kind: null,
    areaCode: 'xiangzhi', areaName: null, gridZoneCode: null, lat: 24.7815, lng: 118.7525, capacity: 20, openingHours: '24h',
    parentCode: 'EX-NC-01', emergencyFunction: 'first_aid_triage',
  },
];

const EXAMPLE_SQUAD_LINES: Row[] = [
  { squadCode: 'EX-SQ-01', squadName: '示例先锋队', areaCode: 'xiangzhi', baseSiteCode: 'EX-NC-01', squadSkills: 'first_aid;evacuation',
    memberName: '张三', memberPhone: '13800000001', memberSkills: 'first_aid', partyMember: true, isLeader: true },
  { squadCode: 'EX-SQ-01', squadName: '示例先锋队', areaCode: 'xiangzhi', baseSiteCode: 'EX-NC-01', squadSkills: 'first_aid;evacuation',
    memberName: '李四', memberPhone: '13800000002', memberSkills: 'evacuation', partyMember: false, isLeader: false },
];

const csvOf = (columns: readonly string[], rows: Row[]) => withBom(toCsv([[...columns], ...rows.map((r) => columns.map((c) => r[c]))]));

const geoJsonOf = (rows: Row[]) =>
  JSON.stringify(
    {
      type: 'FeatureCollection',
      features: rows.map(({ lat, lng, ...properties }) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lng, lat] },
        properties: Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null)),
      })),
    },
    null,
    2,
  ) + '\n';

/** The downloadable templates of the import page: every column, and rows to copy. */
export const TEMPLATES: Record<string, { contentType: string; body: string }> = {
  'facilities.csv': { contentType: 'text/csv; charset=utf-8', body: csvOf(FACILITY_COLUMNS_IN_FILES, EXAMPLE_SITES) },
  'facilities.geojson': { contentType: 'application/geo+json; charset=utf-8', body: geoJsonOf(EXAMPLE_SITES) },
  'squads.csv': { contentType: 'text/csv; charset=utf-8', body: csvOf(SQUAD_COLUMNS_IN_FILES, EXAMPLE_SQUAD_LINES) },
};
