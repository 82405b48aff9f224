import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { EventIdPipe } from '../common/id-param.js';
import { AlertsService } from './alerts.service.js';
import type { AlertView } from '../contracts/events.js';
import { ListAlertsQuery } from './dto/list-alerts.dto.js';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOkResponse({ description: 'Warning and critical events, newest first, with who acknowledged them' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListAlertsQuery): Promise<AlertView[]> {
    return this.alerts.list(user, q);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Roles('commander')
  @ApiOkResponse({ description: 'The alert, acknowledged; emits alert.acknowledged' })
  ack(@CurrentUser() user: AuthUser, @Param('id', EventIdPipe) id: string): Promise<AlertView> {
    return this.alerts.acknowledge(user, id);
  }
}
