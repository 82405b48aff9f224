import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { LimitQuery } from '../common/limit-query.dto.js';
import { DispatchService } from './dispatch.service.js';
import { CreateDispatchesDto, CreateIncidentDto, IncidentStatusDto, ListIncidentsQuery } from './dto/dispatch.dto.js';
import { IncidentsService } from './incidents.service.js';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly dispatches: DispatchService,
  ) {}

  @Post()
  @Roles('commander')
  @ApiCreatedResponse({ description: 'The incident; emits incident.created' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateIncidentDto) {
    return this.incidents.create(user, body);
  }

  @Get()
  list(@Query() q: ListIncidentsQuery) {
    return this.incidents.list(q);
  }

  @Get(':id')
  get(@Param('id', UuidPipe) id: string) {
    return this.incidents.get(id);
  }

  @Patch(':id')
  @Roles('commander')
  setStatus(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: IncidentStatusDto) {
    return this.dispatches.setIncidentStatus(user, id, body.status);
  }

  @Get(':id/recommendations')
  @Roles('commander')
  @ApiOkResponse({ description: 'Available squads, those with more of the required skills first, then the nearest' })
  recommendations(@Param('id', UuidPipe) id: string, @Query() q: LimitQuery) {
    return this.incidents.recommendations(id, q.limit ?? 10);
  }

  @Post(':id/dispatches')
  @Roles('commander')
  @ApiCreatedResponse({ description: 'One pending dispatch per squad, with ackDeadline' })
  dispatch(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: CreateDispatchesDto) {
    return this.dispatches.dispatch(user, id, body.squadIds, { note: body.note, exercise: false });
  }
}
