import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { QueryBoolean } from '../../common/query-boolean.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../contracts/imports.js';

export class ImportQuery {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, description: 'Otherwise taken from Content-Type (text/csv, application/geo+json)' })
  @IsOptional()
  @IsIn(IMPORT_FORMATS, { message: `format must be one of ${IMPORT_FORMATS.join(', ')}` })
  format?: ImportFormat;

  @ApiPropertyOptional({ description: 'The uploaded file name, kept in the import record' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'fileName must be 1–200 characters' })
  fileName?: string;

  @ApiPropertyOptional({ description: 'Chosen by the client (a UUID) to match import.progress messages to this upload' })
  @IsOptional()
  @IsUUID('all', { message: 'importId must be a UUID' })
  importId?: string;

  @ApiPropertyOptional({ description: 'Check everything and report what would change, without changing anything' })
  @QueryBoolean('dryRun must be true or false')
  dryRun?: boolean;
}
