import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../common/dates.js';
import { LimitQuery } from '../../common/limit-query.dto.js';
import { FACILITY_TYPES } from '../../contracts/facilities.js';
import { MOVEMENT_KINDS } from '../stock.service.js';

const MAX_QUANTITY = 1_000_000;
const quantityMessage = 'quantity must be a whole number from 1 to 1,000,000';

export class StockMovementDto {
  @ApiProperty()
  @IsUUID('all', { message: 'facilityId must be a facility id' })
  facilityId: string;

  @ApiProperty({ example: 'water' })
  @IsString()
  @Length(1, 40)
  itemCode: string;

  @ApiProperty({ enum: MOVEMENT_KINDS, description: 'adjust sets the counted quantity' })
  @IsIn(MOVEMENT_KINDS, { message: `kind must be one of ${MOVEMENT_KINDS.join(', ')}` })
  kind: (typeof MOVEMENT_KINDS)[number];

  @ApiProperty({ example: 24, description: 'How many (adjust: the counted quantity, 0 allowed)' })
  @IsInt({ message: quantityMessage })
  @Min(0, { message: quantityMessage })
  @Max(MAX_QUANTITY, { message: quantityMessage })
  quantity: number;

  @IsCalendarDate('expiresOn', { optional: true, description: 'Expiry date of a received lot' })
  expiresOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class StockTransferDto {
  @ApiProperty()
  @IsUUID('all', { message: 'fromFacilityId must be a facility id' })
  fromFacilityId: string;

  @ApiProperty()
  @IsUUID('all', { message: 'toFacilityId must be a facility id' })
  toFacilityId: string;

  @ApiProperty({ example: 'blanket' })
  @IsString()
  @Length(1, 40)
  itemCode: string;

  @ApiProperty({ example: 20 })
  @IsInt({ message: quantityMessage })
  @Min(1, { message: quantityMessage })
  @Max(MAX_QUANTITY, { message: quantityMessage })
  quantity: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class LedgerQuery extends LimitQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'facilityId must be a facility id' })
  facilityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 40)
  itemCode?: string;
}

export class ReadinessQuery {
  @ApiPropertyOptional({ example: 'xiangzhi' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  area?: string;

  @ApiPropertyOptional({ enum: FACILITY_TYPES })
  @IsOptional()
  @IsIn(FACILITY_TYPES, { message: `type must be one of ${FACILITY_TYPES.join(', ')}` })
  type?: string;
}

export class RequirementDto {
  @ApiPropertyOptional({ enum: FACILITY_TYPES, description: 'For every site of this type…' })
  @IsOptional()
  @IsIn(FACILITY_TYPES, { message: `facilityType must be one of ${FACILITY_TYPES.join(', ')}` })
  facilityType?: string;

  @ApiPropertyOptional({ description: '…or for this one site (an override)' })
  @IsOptional()
  @IsUUID('all', { message: 'facilityId must be a facility id' })
  facilityId?: string;

  @ApiProperty({ example: 'life_jacket' })
  @IsString()
  @Length(1, 40)
  itemCode: string;

  @ApiProperty({ example: 20, description: '0 removes the requirement' })
  @IsInt({ message: 'quantity must be a whole number from 0 to 1,000,000' })
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity: number;
}

export class PutRequirementsDto {
  @ApiProperty({ type: [RequirementDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements: RequirementDto[];
}
