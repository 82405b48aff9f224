import { Nullable } from '../../common/validation.js';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Latitude, Longitude } from '../../common/geo.decorators.js';
import { CENTER_KINDS, EMERGENCY_FUNCTION_CODES, FACILITY_TYPES, MODES } from '../../contracts/facilities.js';

const OPENING_HOURS = /^(24h|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)$/;

export class ListFacilitiesQuery {
  @ApiPropertyOptional({ enum: FACILITY_TYPES })
  @IsOptional()
  @IsIn(FACILITY_TYPES, { message: `type must be one of ${FACILITY_TYPES.join(', ')}` })
  type?: (typeof FACILITY_TYPES)[number];

  @ApiPropertyOptional({ description: 'Area code, e.g. xiangzhi (GET /api/areas)' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  area?: string;

  @ApiPropertyOptional({ enum: MODES })
  @IsOptional()
  @IsIn(MODES, { message: 'mode must be normal or emergency' })
  mode?: (typeof MODES)[number];

  @ApiPropertyOptional({ description: 'minLng,minLat,maxLng,maxLat', example: '118.60,24.66,118.80,24.82' })
  @IsOptional()
  @IsString()
  bbox?: string;
}

export class CreateFacilityDto {
  @ApiProperty({ example: 'XZ-NC-09', description: 'Unique code: letters, digits, dash, underscore' })
  @Matches(/^[A-Za-z0-9_-]{2,40}$/, { message: 'code must be 2–40 letters, digits, dashes or underscores' })
  code: string;

  @ApiProperty({ example: '祥芝镇渔港码头邻里中心' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'Xiangzhi Fishing Port Neighborhood Center' })
  @IsOptional()
  @Nullable()
  @IsString()
  @Length(1, 160)
  nameEn?: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  @IsIn(FACILITY_TYPES, { message: `type must be one of ${FACILITY_TYPES.join(', ')}` })
  type: (typeof FACILITY_TYPES)[number];

  @ApiPropertyOptional({ enum: CENTER_KINDS, description: 'Neighborhood centers only' })
  @IsOptional()
  @Nullable()
  @IsIn(CENTER_KINDS, { message: `kind must be one of ${CENTER_KINDS.join(', ')}` })
  kind?: (typeof CENTER_KINDS)[number];

  @ApiProperty({ example: 'xiangzhi' })
  @IsString()
  @Length(1, 40)
  areaCode: string;

  @ApiPropertyOptional({ example: 'XZ-G03' })
  @IsOptional()
  @Nullable()
  @IsString()
  @Length(1, 40)
  gridZoneCode?: string;

  @Latitude(24.78)
  lat: number;

  @Longitude(118.75)
  lng: number;

  @ApiPropertyOptional({ example: 120, description: 'People it can serve at once' })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(100000)
  capacity?: number;

  @ApiPropertyOptional({ example: '08:00-20:00', description: '24h or HH:MM-HH:MM' })
  @IsOptional()
  @Matches(OPENING_HOURS, { message: 'openingHours must be 24h or HH:MM-HH:MM' })
  openingHours?: string;

  @ApiPropertyOptional({ description: 'The site this one is inside (a health cabin in a center)' })
  @IsOptional()
  @Nullable()
  @IsUUID('all', { message: 'parentId must be a facility id' })
  parentId?: string;

  @ApiPropertyOptional({ enum: EMERGENCY_FUNCTION_CODES, description: 'Overrides the default of its type' })
  @IsOptional()
  @Nullable()
  @IsIn(EMERGENCY_FUNCTION_CODES, { message: `emergencyFunction must be one of ${EMERGENCY_FUNCTION_CODES.join(', ')}` })
  emergencyFunction?: string;
}

/** Any subset of the fields; null clears an optional one (nameEn, kind, gridZoneCode, capacity, parentId, emergencyFunction). */
export class UpdateFacilityDto extends PartialType(CreateFacilityDto) {}
