import type { Lang } from './language.js';
import type { MessageParams } from './types.js';

type P = MessageParams;
/** The problems an import finds in a row, per language (the line and column are given beside). */
const ROW_EN = {
  unknownArea: (p: P) => `areaCode ${p.value} is not a known area (GET /api/areas)${p.canCreate ? '; to create it, give areaName on one of its rows' : ''}`,
  badNewAreaCode: () => "a new area's code must be 2–40 lowercase letters, digits or underscores, starting with a letter",
  unknownGridZone: (p: P) => `gridZoneCode ${p.value} is not a known grid zone`,
  gridZoneElsewhere: (p: P) => `grid zone ${p.value} is in area ${p.area}, not ${p.expected}`,
  unknownParent: (p: P) => `parentCode ${p.value} is neither in this file nor an existing site`,
  parentCycle: (p: P) => `parentCode: ${p.code} would be inside itself (${p.cycle})`,
  notFeature: (p: P) => `${p.where} is not a GeoJSON Feature`,
  notPoint: (p: P) => `${p.where}: the geometry must be a Point (a site's position), got ${p.got}`,
  badCoordinates: (p: P) => `${p.where}: coordinates must be [longitude, latitude] numbers`,
  duplicateCode: (p: P) => `code ${p.code} is already on line ${p.line}: each site once per file`,
  kindNotAllowed: () => 'kind: only neighborhood centers have a kind',
  ownParent: () => 'parentCode: a site cannot be inside itself',
  squadNameNeeded: (p: P) => `squadName is needed on the first line of squad ${p.squad}`,
  areaCodeNeeded: (p: P) => `areaCode is needed on the first line of squad ${p.squad}`,
  differsFromLine: (p: P) => `${p.field} differs from line ${p.line} for the same squad ${p.squad}`,
  memberNameMissing: () => 'memberName is missing: the line has other member fields',
  duplicateMember: (p: P) => `${p.member} is already a member of ${p.squad} on line ${p.line}`,
  secondLeader: (p: P) => `squad ${p.squad} already has a leader: one per squad`,
  extraCells: (p: P) => `the line has ${p.count} more cell(s) than the header has columns (an unquoted comma?)`,
  unknownBaseSite: (p: P) => `baseSiteCode ${p.value} is not a known site: import the sites first`,
  invalid: (p: P) => `${p.field} is not valid`,
};
export type RowKey = keyof typeof ROW_EN;

const ROW_ZH: Record<RowKey, (p: P) => string> = {
  unknownArea: (p) => `areaCode ${p.value} 不是已知片区（GET /api/areas）${p.canCreate ? '；如要新建，请在其中一行填写 areaName' : ''}`,
  badNewAreaCode: () => '新片区编码必须是 2–40 个小写字母、数字或下划线，以字母开头',
  unknownGridZone: (p) => `gridZoneCode ${p.value} 不是已知网格`,
  gridZoneElsewhere: (p) => `网格 ${p.value} 属于片区 ${p.area}，而不是 ${p.expected}`,
  unknownParent: (p) => `parentCode ${p.value} 既不在本文件中，也不是已有场所`,
  parentCycle: (p) => `parentCode：${p.code} 将位于自身之内（${p.cycle}）`,
  notFeature: (p) => `${p.where} 不是 GeoJSON 要素（Feature）`,
  notPoint: (p) => `${p.where}：几何必须是点（Point，场所位置），实际为 ${p.got}`,
  badCoordinates: (p) => `${p.where}：坐标必须是 [经度, 纬度] 两个数字`,
  duplicateCode: (p) => `编码 ${p.code} 已出现在第 ${p.line} 行：每个场所在文件中只能出现一次`,
  kindNotAllowed: () => 'kind：只有邻里中心才有类别',
  ownParent: () => 'parentCode：场所不能位于自身之内',
  squadNameNeeded: (p) => `队伍 ${p.squad} 的第一行必须填写 squadName`,
  areaCodeNeeded: (p) => `队伍 ${p.squad} 的第一行必须填写 areaCode`,
  differsFromLine: (p) => `${p.field} 与同一队伍 ${p.squad} 第 ${p.line} 行的值不同`,
  memberNameMissing: () => '缺少 memberName：此行有其他队员字段',
  duplicateMember: (p) => `${p.member} 已在第 ${p.line} 行列为 ${p.squad} 的队员`,
  secondLeader: (p) => `队伍 ${p.squad} 已有队长：每队一名`,
  extraCells: (p) => `此行比表头多 ${p.count} 个单元格（是否有未加引号的逗号？）`,
  unknownBaseSite: (p) => `baseSiteCode ${p.value} 不是已知场所：请先导入场所`,
  invalid: (p) => `${p.field} 的值无效`,
};

export const ROW_CATALOGUES: Record<Lang, Record<RowKey, (p: P) => string>> = { en: ROW_EN, 'zh-CN': ROW_ZH };

/** A row message by key: `message` for the RowError (English), `text` for the other languages. */
export interface RowText {
  key: RowKey;
  params?: P;
}
export const rowText = (key: RowKey, params: P = {}): { message: string; text: RowText } => ({ message: ROW_EN[key](params), text: { key, params } });
