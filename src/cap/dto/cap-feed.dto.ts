import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryNumber } from '../../common/query-number.js';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CapFeedQuery {
  @ApiPropertyOptional({ description: 'How many of the newest CAP messages, 1–500 (default 50)', example: 50 })
  @IsOptional()
  @QueryNumber()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;
}
