import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryNumber } from './query-number.js';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?limit=`: a page size from 1 to 1000. */
export class LimitQuery {
  @ApiPropertyOptional({ description: 'Page size, 1–1000', example: 100 })
  @IsOptional()
  @QueryNumber()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;
}
