import { Latitude, Longitude } from '../../common/geo.decorators.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsLatitude, IsLongitude, IsNumber, IsOptional, IsString, IsUUID, Length,
} from 'class-validator';
import { LimitQuery } from '../../common/limit-query.dto.js';
import { QueryBoolean } from '../../common/query-boolean.js';
import { SKILLS } from '../../contracts/squads.js';
import { DISPATCH_STATUSES, INCIDENT_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../../contracts/dispatch.js';

export class CreateIncidentDto {
  @ApiProperty({ enum: INCIDENT_KINDS })
  @IsIn(INCIDENT_KINDS, { message: `kind must be one of ${INCIDENT_KINDS.join(', ')}` })
  kind: (typeof INCIDENT_KINDS)[number];

  @ApiProperty({ enum: INCIDENT_SEVERITIES, description: 'As CAP' })
  @IsIn(INCIDENT_SEVERITIES, { message: `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}` })
  severity: (typeof INCIDENT_SEVERITIES)[number];

  @ApiProperty({ example: '祥芝渔港码头有渔船进水，3人被困' })
  @IsString()
  @Length(2, 200)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  description?: string;

  @Latitude(24.781)
  lat: number;

  @Longitude(118.762)
  lng: number;

  @ApiPropertyOptional({ enum: SKILLS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(SKILLS, { each: true, message: `requiredSkills must be among ${SKILLS.join(', ')}` })
  requiredSkills?: string[];
}

export class IncidentStatusDto {
  @ApiProperty({ enum: INCIDENT_STATUSES })
  @IsIn(INCIDENT_STATUSES, { message: 'status must be open, resolved or cancelled' })
  status: (typeof INCIDENT_STATUSES)[number];
}

export class ListIncidentsQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES, { message: 'status must be open, resolved or cancelled' })
  status?: (typeof INCIDENT_STATUSES)[number];

  @ApiPropertyOptional({ description: "false: real incidents only; true: drills' only; omitted: both" })
  @QueryBoolean('exercise must be true or false')
  exercise?: boolean;
}

export class CreateDispatchesDto {
  @ApiProperty({ type: [String], description: 'One dispatch per squad; all squads must be available' })
  @IsArray()
  @ArrayMinSize(1, { message: 'squadIds must name at least one squad' })
  @ArrayMaxSize(128)
  @ArrayUnique({ message: 'squadIds must not name a squad twice' })
  @IsUUID('all', { each: true, message: 'squadIds must hold squad ids' })
  squadIds: string[];

  @ApiPropertyOptional({ example: '携带救生衣与抛绳包' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}

export class AckDto {
  @ApiProperty({ description: 'true: accepted; false: declined' })
  @IsBoolean({ message: 'accept must be true or false' })
  accept: boolean;

  @ApiPropertyOptional({ description: 'Why not, when declining' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}

const PROGRESS = ['en_route', 'on_scene', 'completed'] as const;
export class ProgressDto {
  @ApiProperty({ enum: PROGRESS })
  @IsIn(PROGRESS, { message: 'status must be en_route, on_scene or completed' })
  status: (typeof PROGRESS)[number];
}

export class CancelDto {
  @ApiProperty({ example: '险情已解除' })
  @IsString()
  @Length(2, 500, { message: 'reason is required: 2 to 500 characters' })
  reason: string;
}

export class ListDispatchesQuery extends LimitQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'squadId must be a squad id' })
  squadId?: string;

  @ApiPropertyOptional({ enum: DISPATCH_STATUSES })
  @IsOptional()
  @IsIn(DISPATCH_STATUSES, { message: `status must be one of ${DISPATCH_STATUSES.join(', ')}` })
  status?: (typeof DISPATCH_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only dispatches still under way or last changed at or after this instant (ISO 8601)', example: '2026-11-27T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be a date and time (ISO 8601), for example 2026-11-27T00:00:00+08:00' })
  since?: string;
}

export class CheckInDto {
  @ApiPropertyOptional({ example: '现场3人，水位下降' })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @Length(0, 500, { message: 'note must be at most 500 characters' })
  note?: string;

  @ApiPropertyOptional({ example: 24.78 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number between -90 and 90' })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  lat?: number;

  @ApiPropertyOptional({ example: 118.76 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lng must be a number between -180 and 180' })
  @IsLongitude({ message: 'lng must be a longitude between -180 and 180' })
  lng?: number;
}
