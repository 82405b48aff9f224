import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { LimitQuery } from '../../common/limit-query.dto.js';

export class ListEventsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Only events with a greater id (the last id you have)', example: '0' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be an event id (digits)' })
  after?: string;
}
