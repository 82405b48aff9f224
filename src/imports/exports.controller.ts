import { Readable } from 'node:stream';
import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { EventRangeQuery } from './dto/event-range.dto.js';
import { ExportsService } from './exports.service.js';

const CSV = 'text/csv; charset=utf-8';

/** Files for the city's records; staff only (the event log holds every squad's movements). */
@ApiTags('exports')
@ApiBearerAuth()
@ApiProduces(CSV)
@Roles('commander', 'coordinator', 'viewer')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('facilities.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="facilities.csv"')
  @ApiOkResponse({ description: 'Every site, in the columns POST /api/imports/facilities reads' })
  facilities(): Promise<string> {
    return this.exports.facilitiesCsv();
  }

  @Get('squads.csv')
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="squads.csv"')
  @Roles('commander')
  @ApiOkResponse({ description: 'Every squad with its members, one line per member, in the columns POST /api/imports/squads reads. Members\' personal data: commanders only, and each download is an event (export.personal_data)' })
  squads(@CurrentUser() user: AuthUser): Promise<string> {
    return this.exports.squadsCsv(user);
  }

  @Get('events.csv')
  @ApiOkResponse({ description: 'The event log between from and to (at most 366 days), oldest first' })
  events(@Query() q: EventRangeQuery): StreamableFile {
    const { from, to } = this.exports.range(q.from, q.to);
    const name = `events-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv`;
    return new StreamableFile(Readable.from(this.exports.eventsCsv(from, to)), { type: CSV, disposition: `attachment; filename="${name}"` });
  }
}
