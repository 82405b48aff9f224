import { capCircle, CITY, enclosingCircle, INCIDENT_RADIUS_KM, nearest, type Point, SITE_RADIUS_KM } from './cap-area.js';
import { EVENT_TYPE_NAMES, INCIDENT_KIND_NAMES, INCIDENT_SEVERITY_NAMES, readableTime, SWITCHOVER_NAMES } from './cap-text.js';
import type { LoggedEvent } from '../events/event-row.js';

/** What the database adds to an event so its message can say where and what (cap.service.ts reads it). */
export interface CapContext {
  /** The incident row (its description is not in the event). */
  incident?: { title: string; description: string | null; kind: string; severity: string; lat: number; lng: number };
  /** The site a facility-bound event is about. */
  facility?: { code: string; name: string; nameEn: string | null; lat: number; lng: number };
  /** The supply item a stock event is about. */
  item?: { name: string; nameEn: string | null; unit: string };
  /** Where the sites a switchover changed are. */
  switchedSites?: Point[];
  /** The city's administrative areas, to say "near Xiangzhi". */
  areas: { code: string; name: string; nameEn: string | null; lat: number; lng: number }[];
}

export interface Texts {
  event: string;
  headline: string;
  description: string;
  instruction?: string;
  areaDesc: string;
}

/** The language-dependent part of a message, and its area. */
export interface Message {
  zh: Texts;
  en: Texts;
  circle: string;
}

type Payload = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const point = (p: Payload | undefined): Point | undefined => {
  const lat = num(p?.lat);
  const lng = num(p?.lng);
  return lat !== undefined && lng !== undefined ? { lat, lng } : undefined;
};
const lines = (...parts: (string | false | null | undefined)[]) => parts.filter(Boolean).join('\n');

const cityArea = (): Pick<Message, 'circle'> & { zh: string; en: string } => ({ circle: capCircle(CITY, CITY.radiusKm), zh: CITY.zh, en: CITY.en });

/** The circle around a position, described by the nearest area's name. */
function aroundPoint(p: Point, radiusKm: number, ctx: CapContext, what: { zh: string; en: string }) {
  const area = nearest(ctx.areas, p);
  return {
    circle: capCircle(p, radiusKm),
    zh: `${what.zh}周边 ${radiusKm} 公里${area ? `（石狮市${area.name}附近）` : ''}`,
    en: `Within ${radiusKm} km of the ${what.en}${area ? `, near ${area.nameEn ?? area.name}, Shishi` : ''}`,
    position: {
      zh: `北纬 ${p.lat.toFixed(5)}，东经 ${p.lng.toFixed(5)}${area ? `（${area.name}）` : ''}`,
      en: `${p.lat.toFixed(5)} N, ${p.lng.toFixed(5)} E${area ? ` (${area.nameEn ?? area.name})` : ''}`,
    },
  };
}

function incidentMessage(e: LoggedEvent, ctx: CapContext): Message {
  const p = e.payload;
  const title = ctx.incident?.title ?? str(p.title);
  const kind = INCIDENT_KIND_NAMES[ctx.incident?.kind ?? str(p.kind)] ?? INCIDENT_KIND_NAMES.other;
  const sev = INCIDENT_SEVERITY_NAMES[ctx.incident?.severity ?? str(p.severity)] ?? { zh: str(p.severity), en: str(p.severity) };
  const where = point(ctx.incident) ?? point(p) ?? CITY;
  const area = aroundPoint(where, INCIDENT_RADIUS_KM, ctx, { zh: '事件地点', en: 'incident' });
  const description = ctx.incident?.description;
  const ref = e.incidentId ? { zh: `事件编号：${e.incidentId}`, en: `Incident id: ${e.incidentId}` } : { zh: '', en: '' };
  const common = { circle: area.circle };
  if (e.type === 'incident.updated') {
    const cancelled = str(p.status) === 'cancelled';
    return {
      ...common,
      zh: {
        event: kind.zh,
        headline: `${cancelled ? '已撤销' : '已处置完毕'}：${title}`,
        description: lines(
          cancelled ? `事件“${title}”已撤销，此前发布的预警作废。` : `事件“${title}”已处置完毕，解除预警。`,
          `位置：${area.position.zh}`,
          ref.zh,
        ),
        instruction: cancelled ? '无需采取行动。' : '警报解除，可恢复正常活动。',
        areaDesc: area.zh,
      },
      en: {
        event: kind.en,
        headline: `${cancelled ? 'Cancelled' : 'Resolved'}: ${title}`,
        description: lines(
          cancelled ? `The incident "${title}" has been cancelled; the earlier alert no longer applies.` : `The incident "${title}" has been resolved: all clear.`,
          `Location: ${area.position.en}`,
          ref.en,
        ),
        instruction: cancelled ? 'No action is needed.' : 'All clear: normal activities may resume.',
        areaDesc: area.en,
      },
    };
  }
  return {
    ...common,
    zh: {
      event: kind.zh,
      headline: `${kind.zh}（${sev.zh}）：${title}`,
      description: lines(`事件：${title}`, `类型：${kind.zh}；等级：${sev.zh}`, description && `说明：${description}`, `位置：${area.position.zh}`, ref.zh),
      instruction: '请关注指挥中心后续通告，远离事发地点，听从现场工作人员指挥。',
      areaDesc: area.zh,
    },
    en: {
      event: kind.en,
      headline: `${kind.en} (${sev.en}): ${title}`,
      description: lines(`Incident: ${title}`, `Kind: ${kind.en}; severity: ${sev.en}`, description && `Details: ${description}`, `Location: ${area.position.en}`, ref.en),
      instruction: 'Watch for further notices from the command center, keep away from the scene and follow the instructions of staff on site.',
      areaDesc: area.en,
    },
  };
}

function dispatchMessage(e: LoggedEvent, ctx: CapContext): Message {
  const p = e.payload;
  const incident = (p.incident ?? {}) as Payload;
  const title = str(incident.title);
  const squad = str(p.squadCode);
  const names = EVENT_TYPE_NAMES[e.type] ?? { zh: e.type, en: e.type };
  const area = aroundPoint(point(incident) ?? CITY, INCIDENT_RADIUS_KM, ctx, { zh: '事件地点', en: 'incident' });
  // Events logged before 0.2 carry one recommendation ({code}) or null; later ones a list ({squadCode}).
  const recommended = p.nextRecommended;
  const first = (Array.isArray(recommended) ? recommended[0] : recommended) as Payload | null | undefined;
  const next = first ? { code: str(first.squadCode ?? first.code), etaMinutes: str(first.etaMinutes) } : null;
  const expired = e.type === 'dispatch.expired';
  const deadline = p.ackDeadline ? readableTime(str(p.ackDeadline)) : '';
  const reason = str(p.reason);
  return {
    circle: area.circle,
    zh: {
      event: names.zh,
      headline: expired ? `${squad} 未在时限内确认调度：${title}` : `${squad} 拒绝调度：${title}`,
      description: lines(
        expired ? `先锋队 ${squad} 未在确认时限（${deadline}）前确认对事件“${title}”的调度。` : `先锋队 ${squad} 拒绝了对事件“${title}”的调度。理由：${reason || '未说明'}。`,
        expired && (next ? `建议改派 ${next.code}（约 ${next.etaMinutes} 分钟到达）。` : '暂无可推荐的空闲先锋队。'),
        `事件地点：${area.position.zh}`,
      ),
      instruction: '请改派其他先锋队。',
      areaDesc: area.zh,
    },
    en: {
      event: names.en,
      headline: expired ? `${squad} did not acknowledge the dispatch in time: ${title}` : `${squad} declined the dispatch: ${title}`,
      description: lines(
        expired
          ? `Squad ${squad} did not acknowledge the dispatch to the incident "${title}" before the deadline (${deadline}).`
          : `Squad ${squad} declined the dispatch to the incident "${title}". Reason: ${reason || 'none given'}.`,
        expired && (next ? `Next recommended: ${next.code} (about ${next.etaMinutes} min away).` : 'No available squad to recommend right now.'),
        `Incident location: ${area.position.en}`,
      ),
      instruction: 'Dispatch another squad.',
      areaDesc: area.en,
    },
  };
}

function stockMessage(e: LoggedEvent, ctx: CapContext): Message {
  const p = e.payload;
  const code = ctx.facility?.code ?? str(p.code);
  const site = { zh: `${ctx.facility?.name ?? str(p.name)}（${code}）`, en: `${ctx.facility?.nameEn ?? ctx.facility?.name ?? str(p.name)} (${code})` };
  const item = { zh: ctx.item?.name ?? str(p.itemCode), en: ctx.item?.nameEn ?? ctx.item?.name ?? str(p.itemCode) };
  const unit = ctx.item?.unit ?? '';
  const names = EVENT_TYPE_NAMES[e.type] ?? { zh: e.type, en: e.type };
  const area = ctx.facility ? { circle: capCircle(ctx.facility, SITE_RADIUS_KM), zh: site.zh, en: site.en } : cityArea();
  if (e.type === 'stock.expiring') {
    const qty = str(p.quantity);
    const on = str(p.expiresOn);
    return {
      circle: area.circle,
      zh: {
        event: names.zh,
        headline: `${site.zh}：${qty}${unit}${item.zh}将于 ${on} 过期`,
        description: `阵地 ${site.zh} 的一批${item.zh}（${qty}${unit}）将于 ${on} 过期。`,
        instruction: '请在过期前使用或轮换，并补充新批次。',
        areaDesc: area.zh,
      },
      en: {
        event: names.en,
        headline: `${site.en}: ${qty} × ${item.en} expire on ${on}`,
        description: `A lot of ${qty} × ${item.en} at ${site.en} expires on ${on}.`,
        instruction: 'Use or rotate the lot before it expires, and restock.',
        areaDesc: area.en,
      },
    };
  }
  const required = num(p.required) ?? 0;
  const available = num(p.available) ?? 0;
  return {
    circle: area.circle,
    zh: {
      event: names.zh,
      headline: `${site.zh}：${item.zh}储备不足（现有 ${available}，要求 ${required}）`,
      description: `阵地 ${site.zh} 的${item.zh}可用 ${available}${unit}，低于储备要求 ${required}${unit}，缺 ${required - available}${unit}。`,
      instruction: '请补充储备，或从附近阵地调拨。',
      areaDesc: area.zh,
    },
    en: {
      event: names.en,
      headline: `${site.en}: ${item.en} below the reserve requirement (${available} of ${required})`,
      description: `${site.en} has ${available} usable × ${item.en}, below the required ${required}: ${required - available} short.`,
      instruction: 'Replenish the reserve, or transfer stock from a nearby site.',
      areaDesc: area.en,
    },
  };
}

function switchoverMessage(e: LoggedEvent, ctx: CapContext): Message {
  const p = e.payload;
  const emergency = str(p.mode) === 'emergency';
  const names = SWITCHOVER_NAMES[emergency ? 'emergency' : 'normal'];
  const switched = num(p.switchedCount) ?? 0;
  const unchanged = num(p.unchangedCount) ?? 0;
  const scope = (p.scope ?? {}) as { all?: boolean; areas?: string[]; types?: string[]; facilityIds?: string[] };
  const areaNames = (scope.areas ?? []).map((code) => ctx.areas.find((a) => a.code === code) ?? { code, name: code, nameEn: code });
  const scopeText = scope.all
    ? { zh: '全市', en: 'the whole city' }
    : {
        zh: [areaNames.length && areaNames.map((a) => a.name).join('、'), scope.types?.length && `类型 ${scope.types.join('、')}`, scope.facilityIds && `${scope.facilityIds.length} 个指定阵地`].filter(Boolean).join('，'),
        en: [areaNames.length && areaNames.map((a) => a.nameEn ?? a.name).join(', '), scope.types?.length && `types ${scope.types.join(', ')}`, scope.facilityIds && `${scope.facilityIds.length} listed sites`].filter(Boolean).join('; '),
      };
  const circle = !scope.all ? enclosingCircle(ctx.switchedSites ?? []) : undefined;
  const area = circle
    ? { circle: capCircle(circle.center, circle.radiusKm), zh: `石狮市：${scopeText.zh}（${switched} 个阵地）`, en: `Shishi: ${scopeText.en} (${switched} sites)` }
    : cityArea();
  const reason = str(p.reason);
  return {
    circle: area.circle,
    zh: {
      event: names.zh,
      headline: `${names.zh}（${scopeText.zh}，${switched} 个阵地）`,
      description: lines(`原因：${reason}`, `范围：${scopeText.zh}`, `本次切换 ${switched} 个阵地，另有 ${unchanged} 个已处于该状态。`),
      instruction: emergency ? '相关阵地已按应急功能定位开放（临时安置、应急供餐、医疗救护等），居民可就近前往。' : '相关阵地恢复日常服务。',
      areaDesc: area.zh,
    },
    en: {
      event: names.en,
      headline: `${names.en} (${scopeText.en}, ${switched} sites)`,
      description: lines(`Reason: ${reason}`, `Scope: ${scopeText.en}`, `${switched} sites switched; ${unchanged} were already in that mode.`),
      instruction: emergency
        ? 'The sites now serve their emergency function (shelter, emergency meals, first aid…); residents may go to the nearest one.'
        : 'The sites are back to their everyday services.',
      areaDesc: area.en,
    },
  };
}

function noticeMessage(e: LoggedEvent): Message {
  const title = str(e.payload.title);
  const body = str(e.payload.body);
  const names = EVENT_TYPE_NAMES['notice.posted'];
  const area = cityArea();
  const texts = (lang: 'zh' | 'en'): Texts => ({ event: names[lang], headline: title, description: body || title, areaDesc: area[lang] });
  return { circle: area.circle, zh: texts('zh'), en: texts('en') };
}

const LEVEL_NAMES: Record<string, { zh: string; en: string }> = {
  4: { zh: 'Ⅳ级（蓝色）', en: 'level IV (blue)' },
  3: { zh: 'Ⅲ级（黄色）', en: 'level III (yellow)' },
  2: { zh: 'Ⅱ级（橙色）', en: 'level II (orange)' },
  1: { zh: 'Ⅰ级（红色）', en: 'level I (red)' },
};
/** How far an area reaches from its centre, for a plan's alert area. */
const AREA_RADIUS_KM = 3;

/** A response plan activated or changed level: the plan, the level, and its areas. */
function planMessage(e: LoggedEvent, ctx: CapContext): Message {
  const p = e.payload;
  const changed = e.type === 'plan.level_changed';
  const level = LEVEL_NAMES[str(changed ? p.to : p.level)] ?? { zh: str(p.level), en: str(p.level) };
  const from = LEVEL_NAMES[str(p.from)] ?? { zh: str(p.from), en: str(p.from) };
  const codes = Array.isArray(p.areas) ? p.areas.map(str) : [];
  const areas = ctx.areas.filter((a) => codes.includes(a.code));
  const circle = areas.length && areas.length < ctx.areas.length ? enclosingCircle(areas, AREA_RADIUS_KM) : undefined;
  const area = circle
    ? { circle: capCircle(circle.center, circle.radiusKm), zh: `石狮市：${areas.map((a) => a.name).join('、')}`, en: `Shishi: ${areas.map((a) => a.nameEn ?? a.name).join(', ')}` }
    : cityArea();
  const plan = { zh: str(p.planName), en: str(p.planNameEn) || str(p.planName) };
  const reason = str(p.reason);
  const sites = num(p.sites);
  return {
    circle: area.circle,
    zh: {
      event: `应急预案${changed ? '响应级别调整' : '启动'}`,
      headline: changed ? `${plan.zh}响应由${from.zh}调整为${level.zh}` : `启动${plan.zh}${level.zh}响应`,
      description: lines(`原因：${reason}`, `范围：${area.zh}`, sites !== undefined && `${sites} 个阵地按应急功能转换。`),
      instruction: '相关阵地正在转为应急状态（临时安置、应急供餐、医疗救护等），请关注指挥中心通告。',
      areaDesc: area.zh,
    },
    en: {
      event: `Response plan ${changed ? 'level changed' : 'activated'}`,
      headline: changed ? `${plan.en}: ${from.en} → ${level.en}` : `${plan.en} activated at ${level.en}`,
      description: lines(`Reason: ${reason}`, `Scope: ${area.en}`, sites !== undefined && `${sites} sites are converting to their emergency function.`),
      instruction: 'Sites are converting to emergency use (shelter, emergency meals, first aid…); watch for notices from the command center.',
      areaDesc: area.en,
    },
  };
}

/** Any other warning or critical event: its type and title, for the whole city. */
function genericMessage(e: LoggedEvent): Message {
  const title = str(e.payload.title) || e.type;
  const area = cityArea();
  const texts = (lang: 'zh' | 'en'): Texts => ({ event: e.type, headline: title, description: `${e.type}: ${title}`, areaDesc: area[lang] });
  return { circle: area.circle, zh: texts('zh'), en: texts('en') };
}

/** The words and the area of an event's CAP message, in Chinese and English. */
export function messageFor(e: LoggedEvent, ctx: CapContext): Message {
  if (e.type.startsWith('incident.')) return incidentMessage(e, ctx);
  if (e.type === 'dispatch.declined' || e.type === 'dispatch.expired') return dispatchMessage(e, ctx);
  if (e.type.startsWith('stock.')) return stockMessage(e, ctx);
  if (e.type === 'switchover.completed') return switchoverMessage(e, ctx);
  if (e.type === 'notice.posted') return noticeMessage(e);
  if (e.type === 'plan.activated' || e.type === 'plan.level_changed') return planMessage(e, ctx);
  return genericMessage(e);
}
