import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { EventsService } from '../events/events.service.js';
import type { EventView, Severity } from '../contracts/events.js';

@Injectable()
export class NoticesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  /** A city-wide bulletin: it is nothing but its event. */
  async post(user: AuthUser, notice: { title: string; body?: string; severity?: Severity }): Promise<EventView> {
    const [event] = await this.dataSource.transaction((m) =>
      this.events.append(m, {
        type: 'notice.posted',
        severity: notice.severity ?? 'info',
        actor: user,
        payload: { title: notice.title, body: notice.body ?? null },
      }),
    );
    return event;
  }
}
