import { toCsv, withBom } from '../common/csv.js';
import { FACILITY_COLUMNS_IN_FILES } from './dto/facility-import-row.dto.js';
import { SQUAD_COLUMNS_IN_FILES } from './dto/squad-import-row.dto.js';
import { CENTER_KINDS, EMERGENCY_FUNCTIONS, FACILITY_TYPES } from '../contracts/facilities.js';
import { SKILLS } from '../contracts/squads.js';

/** The names of the codes a file may use, for the notes at the head of a template. */
const TYPE_NAMES: Record<(typeof FACILITY_TYPES)[number], [string, string]> = {
  neighborhood_center: ['邻里中心', 'Neighborhood center'],
  service_station: ['邻里服务站', 'Service station'],
  elder_canteen: ['长者食堂', 'Elder canteen'],
  childcare_site: ['托教阵地', 'Childcare site'],
  health_station: ['健康服务站/小屋', 'Health station'],
  self_service_area: ['24小时自助服务区', '24-hour self-service area'],
  day_care_room: ['日间照料室', 'Day-care room'],
  warm_station: ['暖心驿站', 'Warm station'],
};
const KIND_NAMES: Record<(typeof CENTER_KINDS)[number], [string, string]> = {
  urban_community: ['城市社区', 'Urban community'],
  industrial_park: ['工业园区', 'Industrial park'],
  traditional_village: ['传统村落', 'Traditional village'],
  commercial_market: ['商贸市场', 'Commercial market'],
  fishing_port: ['渔港', 'Fishing port'],
};
const SKILL_NAMES: Record<(typeof SKILLS)[number], [string, string]> = {
  first_aid: ['急救', 'First aid'],
  water_rescue: ['水上救援', 'Water rescue'],
  firefighting: ['消防', 'Firefighting'],
  evacuation: ['疏散转移', 'Evacuation'],
  logistics: ['后勤保障', 'Logistics'],
  psychological_support: ['心理疏导', 'Psychological support'],
  search_and_rescue: ['搜救', 'Search and rescue'],
  communications: ['通讯', 'Communications'],
};

/** A note line: starts with #, one cell, no separators a spreadsheet would split on. */
const note = (text: string) => `# ${text.replace(/[",\r\n]/g, ' ')}`;
const codeList = (column: string, names: Record<string, readonly [string, string]>) =>
  note(`${column}: ${Object.entries(names).map(([code, [zh, en]]) => `${code} = ${zh} / ${en}`).join(' | ')}`);

/** The allowed codes with their names: lines starting with # at the head of a CSV, skipped when it is imported. */
export function templateNotes(kind: 'facilities' | 'squads', areas: { code: string; name: string; nameEn: string | null }[]): string[] {
  const areaNames = Object.fromEntries(areas.map((a) => [a.code, [a.name, a.nameEn ?? a.name] as const]));
  const head = note('平急导入模板 / Pingji import template: lines starting with # are notes and are skipped on import; delete the example rows.');
  if (kind === 'squads') {
    return [head, codeList('areaCode', areaNames), codeList('squadSkills / memberSkills (separate with ;)', SKILL_NAMES),
      note('partyMember / isLeader: true or false; baseSiteCode: the code of an existing or imported site')];
  }
  const functions = Object.fromEntries(Object.entries(EMERGENCY_FUNCTIONS).map(([code, n]) => [code, [n.zh, n.en] as const]));
  return [head, codeList('type', TYPE_NAMES), codeList('kind (neighborhood_center only)', KIND_NAMES),
    codeList('emergencyFunction (empty: the type\'s default)', functions), codeList('areaCode', areaNames)];
}

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

const csvOf = (columns: readonly string[], rows: Row[], notes: string[] = []) =>
  withBom(toCsv([...notes.map((n) => [n]), [...columns], ...rows.map((r) => columns.map((c) => r[c]))]));

const geoJsonOf = (rows: Row[], allowedCodes: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      type: 'FeatureCollection',
      // A foreign member (RFC 7946 §6.1): the codes the properties may use, with their names; ignored on import.
      ...(Object.keys(allowedCodes).length ? { allowedCodes } : {}),
      features: rows.map(({ lat, lng, ...properties }) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lng, lat] },
        properties: Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null)),
      })),
    },
    null,
    2,
  ) + '\n';

const named = (names: Record<string, readonly [string, string]>) => Object.fromEntries(Object.entries(names).map(([code, [zh, en]]) => [code, { zh, en }]));

/**
 * The downloadable templates of the import page: notes listing the allowed codes with their names (the
 * areas are the database's), every column, and rows to copy.
 */
export function templates(areas: { code: string; name: string; nameEn: string | null }[]): Record<string, { contentType: string; body: string }> {
  const areaNames = Object.fromEntries(areas.map((a) => [a.code, [a.name, a.nameEn ?? a.name] as const]));
  return {
    'facilities.csv': { contentType: 'text/csv; charset=utf-8', body: csvOf(FACILITY_COLUMNS_IN_FILES, EXAMPLE_SITES, templateNotes('facilities', areas)) },
    'facilities.geojson': {
      contentType: 'application/geo+json; charset=utf-8',
      body: geoJsonOf(EXAMPLE_SITES, {
        type: named(TYPE_NAMES), kind: named(KIND_NAMES), areaCode: named(areaNames),
        emergencyFunction: Object.fromEntries(Object.entries(EMERGENCY_FUNCTIONS).map(([code, n]) => [code, { zh: n.zh, en: n.en }])),
      }),
    },
    'squads.csv': { contentType: 'text/csv; charset=utf-8', body: csvOf(SQUAD_COLUMNS_IN_FILES, EXAMPLE_SQUAD_LINES, templateNotes('squads', areas)) },
  };
}
export const TEMPLATE_NAMES = ['facilities.csv', 'facilities.geojson', 'squads.csv'];
