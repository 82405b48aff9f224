import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { ListSquadsQuery, PositionDto, SetSquadStatusDto } from './dto/squad.dto.js';
import { SquadsService } from './squads.service.js';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' };

@ApiTags('squads')
@ApiBearerAuth()
@Controller('squads')
export class SquadsController {
  constructor(private readonly squads: SquadsService) {}

  @Get()
  @ApiOkResponse({ description: 'The vanguard squads, by code' })
  list(@Query() q: ListSquadsQuery) {
    return this.squads.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'One squad with its members and skills; members\' names, phones and party membership for commanders and the squad\'s own leader only' })
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.squads.get(user, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('squad_leader', 'commander')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  setStatus(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: SetSquadStatusDto) {
    return this.squads.setStatus(user, id, body.status);
  }

  @Post(':id/position')
  @HttpCode(200)
  @Roles('squad_leader')
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  position(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: PositionDto) {
    return this.squads.reportPosition(user, id, body);
  }
}
