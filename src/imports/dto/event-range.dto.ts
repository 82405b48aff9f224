import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class EventRangeQuery {
  @ApiProperty({ example: '2026-11-01T00:00:00+08:00', description: 'From this instant (inclusive)' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 time, e.g. 2026-11-01T00:00:00+08:00' })
  from: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'Up to this instant (exclusive); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 time, e.g. 2026-12-01T00:00:00+08:00' })
  to?: string;
}
