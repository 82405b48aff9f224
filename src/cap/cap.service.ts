import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { eventColumns, type EventRow, type LoggedEvent, toEventView, visibilitySql } from '../events/event-row.js';
import { capEligibleSql, type CapContext, type CapReferenced, type CapSettings, toCapAlert } from './cap-alert.js';
import type { Point } from './cap-area.js';
import { type FeedEntry, renderCapFeed } from './cap-feed.js';
import { capTime } from './cap-text.js';
import { renderCapXml } from './cap-xml.js';


export const CAP_FEED_DEFAULT_LIMIT = 50;

const byKey = <T, K>(rows: T[], key: (r: T) => K) => new Map(rows.map((r) => [key(r), r]));
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * CAP messages are made from the event log when asked for, never stored: the log is the record, and
 * an event's message is the same every time (its references point at earlier, immutable events).
 */
@Injectable()
export class CapService {
  private readonly settings: CapSettings;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = { sender: config.capSender, senderName: config.capSenderName, publicUrl: config.publicUrl };
  }

  /** One event's CAP document; CAP.NOT_FOUND for events without one and for those the caller may not see. */
  async alertXml(user: AuthUser, eventId: string): Promise<string> {
    const visible = visibilitySql(user, 2, 'e');
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${eventColumns('e')} FROM events e WHERE e.id = $1 AND ${capEligibleSql('e')} AND ${visible.sql}`,
      [eventId, ...visible.params],
    );
    if (!rows.length) {
      throw new DomainError('CAP.NOT_FOUND', 'not_found', { id: eventId });
    }
    const [entry] = await this.entries(rows.map(toEventView));
    return renderCapXml(entry.alert);
  }

  /** The newest CAP messages the caller may see, as an Atom feed. */
  async feedXml(user: AuthUser, limit = CAP_FEED_DEFAULT_LIMIT): Promise<string> {
    const visible = visibilitySql(user, 2, 'e');
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${eventColumns('e')} FROM events e WHERE ${capEligibleSql('e')} AND ${visible.sql} ORDER BY e.id DESC LIMIT $1`,
      [limit, ...visible.params],
    );
    return renderCapFeed(this.settings, await this.entries(rows.map(toEventView)), capTime(new Date()));
  }

  /** Messages for many events with a fixed number of queries (the feed reads up to 500). */
  private async entries(events: LoggedEvent[]): Promise<FeedEntry[]> {
    const of = (types: (t: string) => boolean) => events.filter((e) => types(e.type));
    const incidentEvents = of((t) => t.startsWith('incident.'));
    const stockEvents = of((t) => t.startsWith('stock.'));
    const switchovers = of((t) => t === 'switchover.completed');
    const backToNormal = switchovers.filter((e) => e.payload.mode === 'normal');
    const ended = of((t) => t === 'incident.updated');
    const switchoverIds = switchovers.filter((e) => !(e.payload.scope as { all?: boolean } | undefined)?.all).map((e) => String(e.payload.switchoverId));

    const [areas, incidents, facilities, items, sites, createdRefs, emergencyRefs] = await Promise.all([
      this.dataSource.query('SELECT code, name, name_en AS "nameEn", lat, lng FROM areas ORDER BY code') as Promise<CapContext['areas']>,
      this.rows<{ id: string } & NonNullable<CapContext['incident']>>(
        incidentEvents.map((e) => e.incidentId),
        'SELECT id, title, description, kind, severity, lat, lng FROM incidents WHERE id = ANY($1::uuid[])',
      ),
      this.rows<{ id: string } & NonNullable<CapContext['facility']>>(
        stockEvents.map((e) => e.facilityId),
        'SELECT id, code, name, name_en AS "nameEn", lat, lng FROM facilities WHERE id = ANY($1::uuid[])',
      ),
      this.rows<{ code: string } & NonNullable<CapContext['item']>>(
        stockEvents.map((e) => e.payload.itemCode as string | undefined),
        'SELECT code, name, name_en AS "nameEn", unit FROM supply_items WHERE code = ANY($1::text[])',
      ),
      this.rows<{ switchover_id: string } & Point>(
        switchoverIds,
        `SELECT h.switchover_id, f.lat, f.lng FROM facility_mode_history h JOIN facilities f ON f.id = h.facility_id
         WHERE h.switchover_id = ANY($1::uuid[])`,
      ),
      // The message an ended incident updates or cancels: the one its incident.created event made.
      this.rows<{ incident_id: string; id: string; at: Date }>(
        ended.map((e) => e.incidentId),
        `SELECT DISTINCT ON (incident_id) incident_id, id::text AS id, at FROM events
         WHERE type = 'incident.created' AND incident_id = ANY($1::uuid[]) ORDER BY incident_id, events.id`,
      ),
      // A return to normal mode updates the most recent switchover to emergency before it.
      this.rows<{ for_id: string; id: string; at: Date }>(
        backToNormal.map((e) => e.id),
        `SELECT n.id::text AS for_id, r.id, r.at FROM unnest($1::bigint[]) AS n(id)
         CROSS JOIN LATERAL (
           SELECT e.id::text AS id, e.at FROM events e
           WHERE e.type = 'switchover.completed' AND e.payload->>'mode' = 'emergency' AND e.id < n.id
           ORDER BY e.id DESC LIMIT 1) r`,
      ),
    ]);
    const incidentById = byKey(incidents, (r) => r.id);
    const facilityById = byKey(facilities, (r) => r.id);
    const itemByCode = byKey(items, (r) => r.code);
    const sitesBySwitchover = new Map<string, Point[]>();
    for (const s of sites) sitesBySwitchover.set(s.switchover_id, [...(sitesBySwitchover.get(s.switchover_id) ?? []), { lat: s.lat, lng: s.lng }]);
    const created = byKey(createdRefs, (r) => r.incident_id);
    const emergency = byKey(emergencyRefs, (r) => r.for_id);

    return events.map((e) => {
      const ctx: CapContext = {
        areas,
        incident: e.type.startsWith('incident.') && e.incidentId ? incidentById.get(e.incidentId) : undefined,
        facility: e.facilityId ? facilityById.get(e.facilityId) : undefined,
        item: e.type.startsWith('stock.') ? itemByCode.get(String(e.payload.itemCode)) : undefined,
        switchedSites: e.type === 'switchover.completed' ? sitesBySwitchover.get(String(e.payload.switchoverId)) : undefined,
      };
      let ref: { id: string; at: Date } | undefined;
      if (e.type === 'incident.updated' && e.incidentId) ref = created.get(e.incidentId);
      if (e.type === 'switchover.completed' && e.payload.mode === 'normal') ref = emergency.get(e.id);
      const referenced: CapReferenced | undefined = ref ? { id: ref.id, at: iso(ref.at) } : undefined;
      return { eventId: e.id, eventType: e.type, alert: toCapAlert(e, this.settings, ctx, referenced) };
    });
  }

  /** Rows for a list of keys, skipping the query when there are none. */
  private async rows<T>(keys: (string | undefined)[], sql: string): Promise<T[]> {
    const present = [...new Set(keys.filter((k): k is string => typeof k === 'string' && k !== ''))];
    return present.length ? this.dataSource.query(sql, [present]) : [];
  }
}
