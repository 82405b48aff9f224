import { Body, Controller, Get, HttpCode, Injectable, Param, type PipeTransform, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { UuidPipe } from '../common/id-param.js';
import { ActivationReportService } from './activation-report.service.js';
import { ActivationsService } from './activations.service.js';
import {
  ActivateDto, CreatePlanDto, LevelDto, ListActivationsQuery, ListTasksQuery, PlanBodyDto, ReasonDto, ReportQuery, TaskDoneDto,
} from './dto/plan.dto.js';
import { PlansService } from './plans.service.js';

/** A plan code in a path: lower-case letters, digits and _, else 404 (never text the database refuses). */
@Injectable()
export class PlanCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(value)) throw new DomainError('PLAN.NOT_FOUND', 'not_found', {});
    return value;
  }
}

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly activations: ActivationsService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Response plans with their four levels' })
  list() {
    return this.plans.list();
  }

  @Get(':code')
  get(@Param('code', PlanCodePipe) code: string) {
    return this.plans.get(code);
  }

  @Post()
  @Roles('commander')
  create(@CurrentUser() user: AuthUser, @Body() body: CreatePlanDto) {
    return this.plans.create(user, body);
  }

  @Put(':code')
  @Roles('commander')
  update(@CurrentUser() user: AuthUser, @Param('code', PlanCodePipe) code: string, @Body() body: PlanBodyDto) {
    return this.plans.update(user, code, body);
  }

  @Post(':code/activations')
  @Roles('commander', 'coordinator')
  @ApiCreatedResponse({ description: 'The activation; with dryRun: 200 and what would happen, nothing changed' })
  async activate(@CurrentUser() user: AuthUser, @Param('code', PlanCodePipe) code: string, @Body() body: ActivateDto, @Res({ passthrough: true }) res: Response) {
    const result = await this.activations.activate(user, code, body);
    if ('dryRun' in result) res.status(200);
    return result;
  }
}

@ApiTags('plans')
@ApiBearerAuth()
@Controller('activations')
export class ActivationsController {
  constructor(
    private readonly activations: ActivationsService,
    private readonly reports: ActivationReportService,
  ) {}

  @Get()
  list(@Query() q: ListActivationsQuery) {
    return this.activations.list(q.active);
  }

  @Get(':id')
  get(@Param('id', UuidPipe) id: string) {
    return this.activations.get(id);
  }

  @Post(':id/level')
  @HttpCode(200)
  @Roles('commander', 'coordinator')
  level(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: LevelDto) {
    return this.activations.changeLevel(user, id, body);
  }

  @Post(':id/stand-down')
  @HttpCode(200)
  @Roles('commander', 'coordinator')
  standDown(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: ReasonDto) {
    return this.activations.standDown(user, id, body.reason);
  }

  @Get(':id/report')
  @ApiOkResponse({ description: 'After-action report (JSON; ?format=csv)' })
  async report(@Param('id', UuidPipe) id: string, @Query() q: ReportQuery, @Res({ passthrough: true }) res: Response) {
    if (q.format !== 'csv') return this.reports.report(id);
    const csv = await this.reports.csv(id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="activation-${id}.csv"`);
    return csv;
  }
}

@ApiTags('plans')
@ApiBearerAuth()
@Controller('conversion-tasks')
export class ConversionTasksController {
  constructor(private readonly activations: ActivationsService) {}

  @Get()
  list(@Query() q: ListTasksQuery) {
    return this.activations.tasks(q);
  }

  @Post(':id/done')
  @HttpCode(200)
  @Roles('commander', 'coordinator', 'site_manager')
  done(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: TaskDoneDto) {
    return this.activations.taskDone(user, id, body.note);
  }
}
