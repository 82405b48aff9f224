import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { LimitQuery } from '../common/limit-query.dto.js';
import { SwitchoverDto } from './dto/switchover.dto.js';
import { SwitchoverService } from './switchover.service.js';

@ApiTags('switchovers')
@ApiBearerAuth()
@Controller('switchovers')
export class SwitchoversController {
  constructor(private readonly switchovers: SwitchoverService) {}

  @Post()
  @Roles('commander')
  @ApiCreatedResponse({ description: '{id, mode, switched, unchanged, shortfalls}' })
  switch(@CurrentUser() user: AuthUser, @Body() dto: SwitchoverDto) {
    return this.switchovers.switchover(user, dto);
  }

  @Get()
  @ApiOkResponse({ description: 'Switchovers, newest first' })
  list(@Query() q: LimitQuery) {
    return this.switchovers.list(q.limit ?? 100);
  }
}
