import { ApiPropertyOptional } from '@nestjs/swagger';
import { LimitQuery } from '../../common/limit-query.dto.js';
import { QueryBoolean } from '../../common/query-boolean.js';

export class ListAlertsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'true: only alerts nobody has acknowledged yet' })
  @QueryBoolean('open must be true or false')
  open?: boolean;
}
