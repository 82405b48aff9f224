import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { LimitQuery } from '../../common/limit-query.dto.js';
import { SITE_STATUSES, type SiteStatus } from '../../contracts/field.js';

export class NeedLineDto {
  @ApiProperty({ example: 'blanket' })
  @IsString({ message: 'itemCode must be a supply item code' })
  @Length(1, 64, { message: 'itemCode must be a supply item code' })
  itemCode: string;

  @ApiProperty({ example: 40 })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(1_000_000, { message: 'quantity must be at most 1,000,000' })
  quantity: number;
}

export class SiteReportDto {
  @ApiProperty({ enum: SITE_STATUSES })
  @IsIn(SITE_STATUSES, { message: `status must be one of ${SITE_STATUSES.join(', ')}` })
  status: SiteStatus;

  @ApiPropertyOptional({ description: 'People (or beds) taken now' })
  @IsOptional()
  @IsInt({ message: 'occupancy must be a whole number' })
  @Min(0, { message: 'occupancy cannot be negative' })
  @Max(1_000_000, { message: 'occupancy must be at most 1,000,000' })
  occupancy?: number;

  @ApiPropertyOptional({ description: 'Emergency capacity (beds or places), when it changed' })
  @IsOptional()
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(0, { message: 'capacity cannot be negative' })
  @Max(1_000_000, { message: 'capacity must be at most 1,000,000' })
  capacity?: number;

  @ApiPropertyOptional({ type: [NeedLineDto], description: 'What the site needs: each line becomes a supply request' })
  @IsOptional()
  @IsArray({ message: 'needs must be a list of {itemCode, quantity}' })
  @ArrayMaxSize(50, { message: 'needs may have at most 50 lines' })
  @ValidateNested({ each: true })
  @Type(() => NeedLineDto)
  needs?: NeedLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @Length(0, 1000, { message: 'note must be at most 1000 characters' })
  note?: string;
}

export class CapacityQuery {
  @ApiPropertyOptional({ example: 'xiangzhi' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'area must be an area code such as xiangzhi' })
  area?: string;
}

export class SupplyRequestsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ['open', 'fulfilled'] })
  @IsOptional()
  @IsIn(['open', 'fulfilled'], { message: 'status must be open or fulfilled' })
  status?: 'open' | 'fulfilled';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'facilityId must be a facility id (a UUID)' })
  facilityId?: string;
}

export class FulfilRequestDto {
  @ApiProperty({ description: 'The site the goods come from' })
  @IsUUID('all', { message: 'fromFacilityId must be a facility id (a UUID)' })
  fromFacilityId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @Length(0, 500, { message: 'note must be at most 500 characters' })
  note?: string;
}
