import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/decorators.js';
import { OutboxQuery } from './outbox.dto.js';
import { OutboxService } from './outbox.service.js';

@ApiTags('outbound')
@ApiBearerAuth()
@Controller('outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** What the outbound message port sent (or, with the log driver, would have sent), newest first. */
  @Get()
  @Roles('commander')
  @ApiOkResponse({ description: '[{id, channel, recipient, body, replyCode, topic, refId, exercise, createdAt, sentAt, driver}]' })
  list(@Query() q: OutboxQuery) {
    return this.outbox.list(q);
  }
}
