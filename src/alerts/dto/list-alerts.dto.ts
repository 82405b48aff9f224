import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { LimitQuery } from '../../common/limit-query.dto.js';

export class ListAlertsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'true: only alerts nobody has acknowledged yet' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;
}
