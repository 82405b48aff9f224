import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { EVENT_COLUMNS, eventColumns, type EventRow, toEventView, visibilitySql } from '../events/event-row.js';
import { EventsService } from '../events/events.service.js';
import type { AlertView } from '../contracts/events.js';


interface AlertRow extends EventRow {
  acked_by_name: string | null;
  acked_at: Date | null;
}

const toAlertView = (row: AlertRow): AlertView => ({
  ...toEventView(row),
  acknowledged: row.acked_at ? { by: row.acked_by_name ?? '', at: new Date(row.acked_at).toISOString() } : null,
});

/** Alerts are the warning and critical events of the log; a person acknowledges each once. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async list(user: AuthUser, opts: { open?: boolean; limit?: number }): Promise<AlertView[]> {
    const visible = visibilitySql(user, 2, 'e');
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${eventColumns('e')}, a.acked_by_name, a.acked_at
       FROM events e LEFT JOIN alert_acks a ON a.event_id = e.id
       WHERE e.severity <> 'info' AND ${visible.sql}
         ${opts.open ? 'AND a.event_id IS NULL' : ''}
       ORDER BY e.id DESC LIMIT $1`,
      [opts.limit ?? 200, ...visible.params],
    );
    return rows.map(toAlertView);
  }

  /** Records who acknowledged the alert and announces it, in one transaction. */
  async acknowledge(user: AuthUser, eventId: string): Promise<AlertView> {
    return this.dataSource.transaction(async (m) => {
      const [alert]: EventRow[] = await m.query(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 AND severity <> 'info'`, [eventId]);
      if (!alert) throw new DomainError('ALERT.NOT_FOUND', 'not_found', { id: eventId });
      const inserted: { acked_at: Date }[] = await m.query(
        `INSERT INTO alert_acks (event_id, acked_by, acked_by_name) VALUES ($1, $2, $3)
         ON CONFLICT (event_id) DO NOTHING RETURNING acked_at`,
        [eventId, user.id, user.username],
      );
      if (!inserted.length) throw new DomainError('ALERT.ALREADY_ACKNOWLEDGED', 'conflict', { id: eventId });
      const view = toEventView(alert);
      await this.events.append(m, {
        type: 'alert.acknowledged',
        audience: view.audience,
        squadId: view.squadId,
        exercise: view.exercise,
        actor: user,
        payload: { alertId: eventId, alertType: view.type },
      });
      return { ...view, acknowledged: { by: user.username, at: new Date(inserted[0].acked_at).toISOString() } };
    });
  }
}
