import { Latitude, Longitude } from '../../common/geo.decorators.js';
import { validated } from '../../common/validation.js';
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

const inRange = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/**
 * A position as a leader's phone sends it, thousands a second over the socket: the usual message — only
 * `lat`, `lng` and maybe `accuracy`, finite numbers in range — is taken as it is, which PositionDto
 * accepts too (position-dto.spec.ts checks they agree); anything else goes through PositionDto itself,
 * whose rules and messages stay the one definition.
 */
export async function validatedPosition(body: unknown): Promise<PositionDto> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.getPrototypeOf(body) === Object.prototype) {
    const { lat, lng, accuracy, ...rest } = body as Record<string, unknown>;
    const plain = Object.keys(rest).length === 0 && inRange(lat, -90, 90) && inRange(lng, -180, 180);
    if (plain && (accuracy === undefined || inRange(accuracy, 0, 100_000))) return Object.assign(new PositionDto(), body);
  }
  return validated(PositionDto, body);
}
