import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { DrillReportService } from './drill-report.service.js';
import { DrillsService } from './drills.service.js';
import { CreateDrillDto, CsvQuery, DrillDispatchDto, DrillLogDto, FinishDrillDto, ListDrillsQuery, YearQuery } from './dto/drill.dto.js';

const thisYear = () => new Date().getUTCFullYear();

@ApiTags('drills')
@ApiBearerAuth()
@Controller('drills')
export class DrillsController {
  constructor(
    private readonly drills: DrillsService,
    private readonly reports: DrillReportService,
  ) {}

  @Post()
  @Roles('coordinator', 'commander')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateDrillDto) {
    return this.drills.create(user, body);
  }

  @Get()
  list(@Query() q: ListDrillsQuery) {
    return this.drills.list(q);
  }

  // Literal paths before :id.
  @Get('stats')
  @ApiOkResponse({ description: 'Counts by kind, squads and people who took part, hours, per area and month' })
  stats(@Query() q: YearQuery) {
    return this.reports.stats(q.year ?? thisYear());
  }

  @Get('export.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="drills.csv"')
  exportCsv(@Query() q: CsvQuery) {
    return this.reports.exportCsv(q.year ?? thisYear(), q.tz ?? 'UTC');
  }

  @Get('years')
  @ApiOkResponse({ description: 'The years that have drills, newest first (and this year)' })
  years() {
    return this.drills.years(thisYear());
  }

  @Get(':id')
  get(@Param('id', UuidPipe) id: string) {
    return this.drills.get(id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('coordinator', 'commander')
  start(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.drills.start(user, id);
  }

  @Post(':id/finish')
  @HttpCode(200)
  @Roles('coordinator', 'commander')
  finish(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: FinishDrillDto) {
    return this.drills.finish(user, id, body.summary);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('coordinator', 'commander')
  cancel(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.drills.cancel(user, id);
  }

  @Post(':id/log')
  @Roles('coordinator', 'commander')
  log(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: DrillLogDto) {
    return this.drills.log(user, id, body.text, body.at);
  }

  @Get(':id/log')
  logOf(@Param('id', UuidPipe) id: string) {
    return this.drills.logOf(id);
  }

  @Post(':id/dispatches')
  @Roles('coordinator', 'commander')
  dispatch(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: DrillDispatchDto) {
    return this.drills.dispatch(user, id, body);
  }

  @Get(':id/report')
  report(@Param('id', UuidPipe) id: string) {
    return this.reports.report(id);
  }
}
