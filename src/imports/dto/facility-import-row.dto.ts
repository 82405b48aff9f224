import { OmitType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CreateFacilityDto } from '../../facilities/dto/facility.dto.js';

/**
 * One site in an import file: the fields of POST /api/facilities (same names, same rules), except
 * that the parent is named by its code, and a new area may be named so the import can create it.
 */
export class FacilityImportRowDto extends OmitType(CreateFacilityDto, ['parentId'] as const) {
  @IsOptional()
  @IsString()
  @Length(1, 60, { message: 'areaName must be 1–60 characters' })
  areaName?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{2,40}$/, { message: 'parentCode must be the code of another site (2–40 letters, digits, dashes or underscores)' })
  parentCode?: string;
}

/** The columns of a facilities CSV, in template order (the same names as the GeoJSON properties). */
export const FACILITY_COLUMNS_IN_FILES = [
  'code', 'name', 'nameEn', 'type', 'kind', 'areaCode', 'areaName', 'gridZoneCode', 'lat', 'lng', 'capacity', 'openingHours', 'parentCode', 'emergencyFunction',
] as const;
export const REQUIRED_FACILITY_COLUMNS = ['code', 'name', 'type', 'areaCode', 'lat', 'lng'] as const;
