import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { LimitQuery } from '../../common/limit-query.dto.js';
import { QueryBoolean } from '../../common/query-boolean.js';

export class ListEventsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Only events with a greater id (the last id you have)', example: '0' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be an event id (digits)' })
  after?: string;

  @ApiPropertyOptional({ description: 'true: the newest `limit` events instead (still oldest first), for a screen that opens' })
  @QueryBoolean('latest must be true or false')
  latest?: boolean;
}
