import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'Only events with a greater id (the last id you have)', example: '0' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be an event id (digits)' })
  after?: string;

  @ApiPropertyOptional({ description: 'Page size, 1–1000 (default 100)', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;
}
