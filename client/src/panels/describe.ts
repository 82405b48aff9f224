import type { EventView } from '../realtime.js';
import { facilityStore } from '../facilities.js';
import { currentLang } from '../i18n.js';
import { t } from '../strings.js';
import { m } from '../layers/map-strings.js';
import { areaAt, areaNameOf, itemName, siteName } from '../layers/names.js';
import type { IncidentSummary } from '../../../src/contracts/dispatch.js';
import type { SwitchoverScope } from '../../../src/contracts/events.js';

const where = (i: Pick<IncidentSummary, 'lat' | 'lng'>) => areaAt(i.lat, i.lng);
const modeName = (mode: string) => m().modeName[mode] ?? t().modeNormal;
const join = (parts: string[]) => parts.join(m().listSep);
const levelName = (level: number) => m().planLevelName[level] ?? String(level);
const planName = (p: { planName: string; planNameEn: string }) => (currentLang() === 'en' ? p.planNameEn : p.planName);
const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The place a switchover covered, in words: the city, its areas, its types, or its sites. */
function scopeWords(scope: SwitchoverScope): string {
  if (scope.all) return m().city;
  const parts: string[] = [];
  if (scope.areas?.length) parts.push(join(scope.areas.map(areaNameOf)));
  if (scope.types?.length) parts.push(join(scope.types.map((k) => t().types[k] ?? k)));
  if (scope.facilityIds?.length) {
    const sites = scope.facilityIds.map((id) => facilityStore.facilities.get(id)).filter((f) => f !== undefined);
    if (sites.length === 1) parts.push(siteName(sites[0]));
    else if (sites.length) parts.push(join([...new Set(sites.map((f) => areaNameOf(f.areaCode)))]));
  }
  return parts.join(' · ') || m().city;
}

/**
 * One line that says what happened, where and who, in the UI language, for every event type in the
 * catalogue; names, never codes (a squad's code is its name on the radio).
 */
export function describeEvent(e: EventView): string {
  const who = e.actor ? m().by(e.actor.username) : '';
  switch (e.type) {
    case 'switchover.completed':
      return m().sitesSwitched(scopeWords(e.payload.scope), e.payload.switchedCount, modeName(e.payload.mode), e.payload.reason)
        + m().unchangedTail(e.payload.unchangedCount) + who;
    case 'facility.mode_changed':
      return m().siteSwitched(siteName(e.payload), modeName(e.payload.from), modeName(e.payload.to));
    case 'facility.created':
      return m().siteAdded(siteName(e.payload));
    case 'facility.updated':
      return m().siteUpdated(siteName(e.payload));
    case 'stock.low':
      return m().stockLow(siteName(e.payload), itemName(e.payload.itemCode), e.payload.available, e.payload.required);
    case 'stock.expiring':
      return m().stockExpiring(siteName(e.payload), itemName(e.payload.itemCode), e.payload.quantity, e.payload.expiresOn);
    case 'stock.moved':
      return m().stockMoved(siteName(e.payload), m().stockKinds[e.payload.kind] ?? t().stockKinds[e.payload.kind] ?? '', itemName(e.payload.itemCode), e.payload.quantity, e.payload.after) + who;
    case 'stock.transferred':
      return m().stockTransferred(itemName(e.payload.itemCode), e.payload.quantity, siteName(e.payload.from), siteName(e.payload.to)) + who;
    case 'reserve.requirements_changed':
      return m().requirementsChanged(e.payload.requirements.length) + who;
    case 'incident.created':
      return m().incidentCreated(where(e.payload), e.payload.title, t().severities[e.payload.severity] ?? '') + who;
    case 'incident.updated':
      return m().incidentUpdated(where(e.payload), e.payload.title, m().incidentStatus[e.payload.status] ?? '') + who;
    case 'dispatch.created':
      return m().dispatchCreated(e.payload.squadCode, where(e.payload.incident), e.payload.incident.title);
    case 'dispatch.accepted':
    case 'dispatch.declined':
    case 'dispatch.progress':
    case 'dispatch.cancelled': {
      const line = m().dispatchChanged(e.payload.squadCode, m().dispatchStatus[e.payload.status] ?? '', where(e.payload.incident), e.payload.incident.title);
      return e.payload.reason ? m().withReason(line, e.payload.reason) : line;
    }
    case 'dispatch.expired':
      return m().dispatchExpired(e.payload.squadCode, where(e.payload.incident), e.payload.incident.title, join(e.payload.nextRecommended.slice(0, 3).map((s) => s.squadCode)));
    case 'squad.status_changed':
      return m().squadStatus(`${e.payload.code} ${e.payload.name}`, t().squadStatus[e.payload.from] ?? '', t().squadStatus[e.payload.to] ?? '');
    case 'squad.position':
      return m().squadPosition(e.payload.code);
    case 'squad.phone':
      return m().squadPhone(e.payload.code, e.payload.online);
    case 'squad.return_overdue':
      return m().squadReturnOverdue(`${e.payload.code} ${e.payload.name}`, e.payload.minutes);
    case 'drill.planned':
    case 'drill.started':
    case 'drill.finished':
    case 'drill.cancelled':
      return m().drillChange(m().drillWhat[e.type], `${e.payload.title} · ${m().drillKinds[e.payload.kind] ?? ''}`);
    case 'drill.logged':
      return m().drillLogged(e.payload.title, e.payload.text);
    case 'alert.acknowledged':
      return m().alertAcknowledged(e.actor?.username ?? '', t().eventTypes[e.payload.alertType] ?? m().somethingHappened);
    case 'notice.posted':
      return m().notice(e.payload.title, e.payload.body ?? '');
    case 'import.completed':
      return m().importCompleted(m().importKinds[e.payload.kind] ?? '', e.payload.created, e.payload.updated, e.payload.unchanged) + who;
    case 'api_token.created':
      return m().tokenCreated(e.payload.name) + who;
    case 'api_token.revoked':
      return m().tokenRevoked(e.payload.name) + who;
    case 'user.disabled':
      return m().userDisabled(e.payload.username) + who;
    case 'user.enabled':
      return m().userEnabled(e.payload.username) + who;
    case 'export.personal_data':
      return m().personalDataExported(e.payload.squads, e.payload.members) + who;
    case 'plan.saved':
      return m().planSaved(e.payload.name, e.payload.created) + who;
    case 'plan.activated':
      return m().planActivated(planName(e.payload), levelName(e.payload.level), e.payload.sites, e.payload.standbySquadIds.length, e.payload.reason) + who;
    case 'plan.level_changed':
      return m().planLevelChanged(planName(e.payload), levelName(e.payload.from), levelName(e.payload.to), e.payload.sitesAdded, e.payload.sitesReleased) + who;
    case 'plan.stood_down':
      return m().planStoodDown(planName(e.payload), e.payload.sitesReturned, e.payload.sitesStillCovered) + who;
    case 'conversion.task_done':
      return m().conversionTaskDone(siteName(e.payload), e.payload.title) + who;
    case 'facility.ready':
      return m().facilityReady(siteName(e.payload), Math.round(e.payload.timeToReadySeconds / 60));
    case 'conversion.overdue':
      return m().conversionOverdue(siteName(e.payload), e.payload.openTasks);
    case 'site.reported':
      return m().siteReported(siteName(e.payload), m().siteStatus[e.payload.status] ?? '', e.payload.occupancy, e.payload.capacity, e.payload.needs.length) + who;
    case 'roll_call.started':
      return m().rollCallStarted(e.payload.message, e.payload.total, clock(e.payload.deadline)) + who;
    case 'roll_call.answered':
      return m().rollCallAnswered(e.payload.username, e.payload.answered, e.payload.total, e.payload.late);
    case 'roll_call.escalated':
      return m().rollCallEscalated(
        join(e.payload.unanswered.slice(0, 8).map((u) => u.username)) + (e.payload.unanswered.length > 8 ? ' …' : ''),
        join([...new Set(e.payload.unanswered.flatMap((u) => (u.squadCode ? [u.squadCode] : u.sites.slice(0, 1).map((s) => siteName(s)))))].slice(0, 5)),
        e.payload.message,
      );
    case 'dispatch.checked_in':
      return m().checkedIn(e.payload.squadCode, e.payload.incident.title);
    case 'dispatch.check_in_missed':
      return m().checkInMissed(e.payload.squadCode, e.payload.incident.title, e.payload.misses);
    default:
      return m().somethingHappened;
  }
}
