import { Latitude, Longitude } from '../../common/geo.decorators.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SQUAD_STATUSES } from '../../contracts/squads.js';

export class ListSquadsQuery {
  @ApiPropertyOptional({ enum: SQUAD_STATUSES })
  @IsOptional()
  @IsIn(SQUAD_STATUSES, { message: `status must be one of ${SQUAD_STATUSES.join(', ')}` })
  status?: (typeof SQUAD_STATUSES)[number];

  @ApiPropertyOptional({ example: 'xiangzhi' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  area?: string;
}

const SETTABLE = ['available', 'returning', 'unavailable'] as const;

export class SetSquadStatusDto {
  @ApiProperty({ enum: SETTABLE })
  @IsIn(SETTABLE, { message: 'status must be available, returning or unavailable (the others follow dispatches)' })
  status: (typeof SETTABLE)[number];
}

export class PositionDto {
  @Latitude(24.781)
  lat: number;

  @Longitude(118.758)
  lng: number;

  @ApiPropertyOptional({ example: 12, description: 'metres' })
  @IsOptional()
  @IsNumber({}, { message: 'accuracy must be a number of metres' })
  @Min(0)
  @Max(100000)
  accuracy?: number;
}
