import { type CapContext, messageFor, type Texts } from './cap-messages.js';
import { capTime, HEADLINE_MAX, truncate, xmlSafe } from './cap-text.js';
import type { CapAlert, CapCategory, CapCertainty, CapInfo, CapMsgType, CapResponseType, CapSeverity, CapUrgency } from './cap-types.js';
import type { LoggedEvent } from '../events/event-row.js';

export type { CapContext } from './cap-messages.js';

/** Who issues our messages (configuration). */
export interface CapSettings {
  sender: string;
  senderName: string;
  /** The dashboard, without a trailing slash. */
  publicUrl: string;
}

/** An earlier message this one updates or cancels: the event it was made from. */
export interface CapReferenced {
  id: string;
  at: string;
}

/**
 * Which events have a CAP message: every alert (severity warning or critical, what GET /api/alerts
 * lists) and every incident and switchover, whatever its severity — so the end of an incident and
 * the return to peacetime are announced too.
 */
const CAP_ALWAYS_TYPES = ['incident.created', 'incident.updated', 'switchover.completed'] as const;
export const capEligibleSql = (alias = '') => {
  const p = alias ? `${alias}.` : '';
  return `(${p}severity <> 'info' OR ${p}type IN (${CAP_ALWAYS_TYPES.map((t) => `'${t}'`).join(', ')}))`;
};

/** Stable, unique per event, and a URN, so it also serves as the Atom entry id. */
export const capIdentifier = (sender: string, eventId: string) => `urn:pingji:${sender}:event:${eventId}`;

/** A CAP reference: `sender,identifier,sent` of the earlier message. */
export const capReference = (sender: string, ref: CapReferenced) => `${sender},${capIdentifier(sender, ref.id)},${capTime(ref.at)}`;

const KIND_CATEGORY: Record<string, CapCategory> = {
  typhoon: 'Met',
  flood: 'Met',
  storm_surge: 'Met',
  fire: 'Fire',
  medical: 'Health',
  public_health: 'Health',
  rescue: 'Rescue',
};
const KIND_RESPONSE: Record<string, CapResponseType> = {
  typhoon: 'Prepare',
  storm_surge: 'Prepare',
  flood: 'Avoid',
  fire: 'Avoid',
};
const INCIDENT_SEVERITY: Record<string, CapSeverity> = { extreme: 'Extreme', severe: 'Severe', moderate: 'Moderate', minor: 'Minor' };
/** Event severities (ours) as CAP severity and urgency: critical needs someone now, warning soon. */
const EVENT_SEVERITY: Record<string, { severity: CapSeverity; urgency: CapUrgency }> = {
  critical: { severity: 'Severe', urgency: 'Immediate' },
  warning: { severity: 'Moderate', urgency: 'Expected' },
  info: { severity: 'Minor', urgency: 'Expected' },
};

interface Classification {
  msgType: CapMsgType;
  withReference: boolean;
  category: CapCategory;
  responseType?: CapResponseType;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
}

/**
 * msgType and the CAP codes. An incident that ends updates (resolved: AllClear) or cancels its
 * incident.created message; a return to normal mode updates the last switchover to emergency
 * (AllClear). Without the earlier message to point at, it is a new Alert (still AllClear).
 */
function classify(e: LoggedEvent, incidentKind: string, referenced: boolean): Classification {
  const p = e.payload;
  const bySeverity = EVENT_SEVERITY[e.severity] ?? EVENT_SEVERITY.info;
  const observed = { certainty: 'Observed' as const };
  if (e.type === 'incident.created') {
    const severity = INCIDENT_SEVERITY[String(p.severity)] ?? 'Unknown';
    const urgency: CapUrgency = severity === 'Extreme' || severity === 'Severe' ? 'Immediate' : 'Expected';
    return { msgType: 'Alert', withReference: false, category: KIND_CATEGORY[incidentKind] ?? 'Other', responseType: KIND_RESPONSE[incidentKind] ?? 'Monitor', urgency, severity, ...observed };
  }
  if (e.type === 'incident.updated') {
    const cancelled = p.status === 'cancelled';
    return {
      msgType: referenced ? (cancelled ? 'Cancel' : 'Update') : 'Alert',
      withReference: referenced,
      category: KIND_CATEGORY[incidentKind] ?? 'Other',
      responseType: cancelled ? 'None' : 'AllClear',
      urgency: 'Past',
      severity: 'Minor',
      ...observed,
    };
  }
  if (e.type === 'switchover.completed') {
    if (p.mode === 'normal') return { msgType: referenced ? 'Update' : 'Alert', withReference: referenced, category: 'Safety', responseType: 'AllClear', urgency: 'Past', severity: 'Minor', ...observed };
    return { msgType: 'Alert', withReference: false, category: 'Safety', responseType: 'Prepare', ...bySeverity, ...observed };
  }
  if (e.type === 'plan.activated' || e.type === 'plan.level_changed') {
    // A response plan's level (4 = Ⅳ … 1 = Ⅰ) is its severity.
    const level = Number(e.type === 'plan.activated' ? p.level : p.to);
    const severity: CapSeverity = level === 1 ? 'Extreme' : level === 2 ? 'Severe' : level === 3 ? 'Moderate' : 'Minor';
    const category: CapCategory = p.planCode === 'public_health' ? 'Health' : ['typhoon', 'rainstorm', 'cold_wave'].includes(String(p.planCode)) ? 'Met' : 'Safety';
    return { msgType: 'Alert', withReference: false, category, responseType: 'Prepare', urgency: 'Expected', severity, certainty: 'Likely' };
  }
  if (e.type.startsWith('dispatch.')) return { msgType: 'Alert', withReference: false, category: 'Rescue', responseType: 'Assess', ...bySeverity, ...observed };
  if (e.type.startsWith('stock.')) return { msgType: 'Alert', withReference: false, category: 'Infra', responseType: 'Assess', ...bySeverity, ...observed };
  if (e.type === 'notice.posted') return { msgType: 'Alert', withReference: false, category: 'Other', responseType: 'Monitor', ...bySeverity, certainty: 'Likely' };
  return { msgType: 'Alert', withReference: false, category: 'Other', ...bySeverity, certainty: 'Unknown' };
}

const DRILL_MARK = { zh: { mark: '【演练】', has: '演练' }, en: { mark: '[DRILL] ', has: 'DRILL' } };

/** The CAP 1.2 message for an event. Pure: `ctx` carries everything read from the database. */
export function toCapAlert(e: LoggedEvent, settings: CapSettings, ctx: CapContext, referenced?: CapReferenced): CapAlert {
  const incidentKind = ctx.incident?.kind ?? String(e.payload.kind ?? '');
  const c = classify(e, incidentKind, Boolean(referenced));
  const message = messageFor(e, ctx);
  const info = (language: CapInfo['language'], lang: 'zh' | 'en', t: Texts): CapInfo => {
    const drill = DRILL_MARK[lang];
    const headline = xmlSafe(e.exercise && !t.headline.includes(drill.has) ? drill.mark + t.headline : t.headline);
    return {
      language,
      category: c.category,
      event: xmlSafe(t.event),
      responseType: c.responseType,
      urgency: c.urgency,
      severity: c.severity,
      certainty: c.certainty,
      senderName: settings.senderName,
      headline: truncate(headline, HEADLINE_MAX),
      description: xmlSafe(t.description),
      instruction: t.instruction === undefined ? undefined : xmlSafe(t.instruction),
      web: `${settings.publicUrl}/`,
      parameters: [
        { valueName: 'pingji:eventId', value: e.id },
        { valueName: 'pingji:eventType', value: e.type },
      ],
      area: { areaDesc: xmlSafe(t.areaDesc), circle: message.circle },
    };
  };
  const squad = String(e.payload.squadCode ?? '');
  const restriction =
    e.audience === 'everyone'
      ? undefined
      : e.audience === 'squad'
        ? xmlSafe(`仅限指挥中心工作人员及先锋队 ${squad} 队长 (command center staff and the leader of squad ${squad} only)`)
        : '仅限指挥中心工作人员 (command center staff only)';
  return {
    identifier: capIdentifier(settings.sender, e.id),
    sender: settings.sender,
    sent: capTime(e.at),
    status: e.exercise ? 'Exercise' : 'Actual',
    msgType: c.msgType,
    scope: restriction ? 'Restricted' : 'Public',
    restriction,
    note: e.exercise ? '演练信息，并非真实事件。DRILL: this message is part of an exercise, not a real emergency.' : undefined,
    references: c.withReference && referenced ? capReference(settings.sender, referenced) : undefined,
    incidents: e.incidentId,
    info: [info('zh-CN', 'zh', message.zh), info('en-US', 'en', message.en)],
  };
}
