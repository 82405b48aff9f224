import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { CheckIns } from './check-ins.js';
import { DispatchService } from './dispatch.service.js';
import { AckDto, CancelDto, CheckInDto, ListDispatchesQuery, ProgressDto } from './dto/dispatch.dto.js';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' };

@ApiTags('dispatches')
@ApiBearerAuth()
@Controller('dispatches')
export class DispatchesController {
  constructor(
    private readonly dispatches: DispatchService,
    private readonly checkIns: CheckIns,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Newest first; a squad leader sees their own squad only' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListDispatchesQuery) {
    return this.dispatches.list(user, q);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.dispatches.get(user, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Roles('squad_leader')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  ack(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: AckDto) {
    return this.dispatches.acknowledge(user, id, body.accept, body.reason);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @Roles('squad_leader', 'commander')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  progress(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: ProgressDto) {
    return this.dispatches.progress(user, id, body.status);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('commander')
  cancel(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: CancelDto) {
    return this.dispatches.cancel(user, id, body.reason);
  }

  /** While on scene, every PAR_INTERVAL_MINUTES: restarts the check-in timer (again is harmless). */
  @Post(':id/check-in')
  @HttpCode(200)
  @Roles('squad_leader')
  checkIn(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: CheckInDto) {
    return this.checkIns.checkIn(user, id, body);
  }
}
