import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { LimitQuery } from '../common/limit-query.dto.js';

export class OutboxQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ['roll_call', 'roll_call.resend', 'dispatch'] })
  @IsOptional()
  @IsIn(['roll_call', 'roll_call.resend', 'dispatch'], { message: 'topic must be roll_call, roll_call.resend or dispatch' })
  topic?: string;

  @ApiPropertyOptional({ description: 'The roll call or dispatch the messages are about' })
  @IsOptional()
  @IsUUID('all', { message: 'refId must be an id (a UUID)' })
  refId?: string;
}
