import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { ImportQuery } from './dto/import-query.dto.js';
import type { Role } from '../contracts/auth.js';
import type { ImportFormat, ImportResult } from '../contracts/imports.js';
import { TEMPLATE_NAMES, templates } from './import-templates.js';
import { ImportsService } from './imports.service.js';

/** Who may upload a file: checked before its body is read (auth/upload-gate), and by the guard. */
export const UPLOAD_ROLES: Role[] = ['commander'];

/** Which format a body is in: the `format` query first, else its Content-Type. */
function formatOf(q: ImportQuery, contentType: string | undefined, allowed: ImportFormat[]): ImportFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const format = q.format ?? (type === 'text/csv' ? 'csv' : type === 'application/geo+json' || type === 'application/json' ? 'geojson' : undefined);
  if (!format || !allowed.includes(format)) {
    const wanted = allowed.map((f) => (f === 'csv' ? 'text/csv' : 'application/geo+json')).join(' or ');
    throw new DomainError('IMPORT.UNSUPPORTED_TYPE', 'unsupported_type', { wanted });
  }
  return format;
}

function bodyText(body: unknown): string {
  if (typeof body !== 'string' || !body.trim()) throw new DomainError('IMPORT.EMPTY_FILE', 'invalid', { reason: 'no_body' });
  return body;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('facilities')
  @Roles(...UPLOAD_ROLES)
  @ApiConsumes('text/csv', 'application/geo+json')
  @ApiCreatedResponse({ description: 'All rows applied in one transaction (upsert by code), or 400 with every bad line in `rows`' })
  facilities(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() q: ImportQuery, @Headers('content-type') type?: string): Promise<ImportResult> {
    const format = formatOf(q, type, ['csv', 'geojson']);
    return this.imports.importFacilities(user, { importId: q.importId ?? randomUUID(), format, fileName: q.fileName, dryRun: q.dryRun, text: bodyText(body) });
  }

  @Post('squads')
  @Roles(...UPLOAD_ROLES)
  @ApiConsumes('text/csv')
  @ApiCreatedResponse({ description: 'Squads and their members, one line per member (upsert by squad code)' })
  squads(@CurrentUser() user: AuthUser, @Body() body: unknown, @Query() q: ImportQuery, @Headers('content-type') type?: string): Promise<ImportResult> {
    const format = formatOf(q, type, ['csv']);
    return this.imports.importSquads(user, { importId: q.importId ?? randomUUID(), format, fileName: q.fileName, dryRun: q.dryRun, text: bodyText(body) });
  }

  @Get()
  @Roles('commander', 'coordinator', 'viewer')
  @ApiOkResponse({ description: 'The most recent imports, newest first' })
  recent() {
    return this.imports.recent();
  }

  @Get('templates/:name')
  @ApiOkResponse({ description: 'facilities.csv, facilities.geojson or squads.csv: the columns and an example' })
  async template(@Param('name') name: string, @Res() res: Response): Promise<void> {
    if (!TEMPLATE_NAMES.includes(name)) throw new DomainError('IMPORT.NO_SUCH_TEMPLATE', 'not_found', { names: TEMPLATE_NAMES.join(', ') });
    const template = templates(await this.imports.areas())[name];
    res.type(template.contentType).attachment(name).send(template.body);
  }
}
