import { IsInstant } from '../../common/dates.js';
import { Latitude, Longitude } from '../../common/geo.decorators.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QueryNumber } from '../../common/query-number.js';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsTimeZone, IsUUID, Length, Max, Min,
} from 'class-validator';
import { DRILL_KINDS, DRILL_STATUSES } from '../../contracts/drills.js';

export class CreateDrillDto {
  @ApiProperty({ example: '祥芝渔港台风转移演练' })
  @IsString()
  @Length(2, 200)
  title: string;

  @ApiProperty({ enum: DRILL_KINDS })
  @IsIn(DRILL_KINDS, { message: 'kind must be drill or training' })
  kind: (typeof DRILL_KINDS)[number];

  @ApiPropertyOptional({ example: '台风登陆前渔港人员转移' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  scenario?: string;

  @ApiPropertyOptional({ example: ['xiangzhi'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  areas?: string[];

  @IsInstant('plannedStart', { example: '2026-12-01T01:00:00Z' })
  plannedStart: string;

  @IsInstant('plannedEnd', { example: '2026-12-01T03:00:00Z' })
  plannedEnd: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1, { message: 'squadIds must name at least one squad' })
  @ArrayMaxSize(128)
  @ArrayUnique({ message: 'squadIds must not name a squad twice' })
  @IsUUID('all', { each: true, message: 'squadIds must hold squad ids' })
  squadIds: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'facilityIds must hold facility ids' })
  facilityIds?: string[];
}

export class ListDrillsQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @QueryNumber()
  @IsInt({ message: 'year must be a year like 2026' })
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: DRILL_STATUSES })
  @IsOptional()
  @IsIn(DRILL_STATUSES, { message: `status must be one of ${DRILL_STATUSES.join(', ')}` })
  status?: (typeof DRILL_STATUSES)[number];
}

export class YearQuery {
  @ApiPropertyOptional({ example: 2026, description: 'Default: this year' })
  @IsOptional()
  @QueryNumber()
  @IsInt({ message: 'year must be a year like 2026' })
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class CsvQuery extends YearQuery {
  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'Times in this IANA zone, with their offset (default: UTC)' })
  @IsOptional()
  @IsTimeZone({ message: 'tz must be a time zone like Asia/Shanghai' })
  tz?: string;
}

export class FinishDrillDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  summary?: string;
}

export class DrillLogDto {
  @ApiProperty({ example: '14:05 第一批群众到达安置点' })
  @IsString()
  @Length(1, 2000)
  text: string;

  @IsInstant('at', { optional: true, description: 'When it happened (default: now)' })
  at?: string;
}

export class DrillDispatchDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1, { message: 'squadIds must name at least one squad' })
  @ArrayUnique({ message: 'squadIds must not name a squad twice' })
  @IsUUID('all', { each: true, message: 'squadIds must hold squad ids' })
  squadIds: string[];

  @ApiProperty({ example: '渔港码头人员转移' })
  @IsString()
  @Length(2, 200)
  title: string;

  @Latitude(24.781)
  lat: number;

  @Longitude(118.762)
  lng: number;
}
