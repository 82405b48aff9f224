import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators.js';
import { ListEventsQuery } from './dto/list-events.dto.js';
import { EventsService } from './events.service.js';
import type { EventView, LogPosition } from '../contracts/events.js';
import { EventRelay } from './event-relay.js';

/** The event log read as an audit trail: oldest first, paged by id, only what the caller may see. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly relay: EventRelay,
  ) {}

  @Get('position')
  @ApiOkResponse({ description: 'The newest event id and the log epoch: read it before a snapshot, resume the socket from it' })
  async position(): Promise<LogPosition> {
    return { lastEventId: await this.events.latestId(), epoch: this.relay.epoch };
  }

  @Get()
  @ApiOkResponse({ description: 'Events after `after`, oldest first; page on with the last id' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListEventsQuery): Promise<EventView[]> {
    return q.latest ? this.events.visibleLatest(user, q.limit ?? 100) : this.events.visibleAfter(user, q.after ?? '0', q.limit ?? 100);
  }
}
