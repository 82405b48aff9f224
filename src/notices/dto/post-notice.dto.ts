import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { SEVERITIES, type Severity } from '../../contracts/events.js';

export class PostNoticeDto {
  @ApiProperty({ example: '台风“海葵”预计今晚登陆，各点位进入待命状态', description: 'What everyone should know, 1–200 characters' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ description: 'Details, up to 2,000 characters' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  body?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'warning and critical notices are alerts (default info)' })
  @IsOptional()
  @IsIn(SEVERITIES, { message: `severity must be one of ${SEVERITIES.join(', ')}` })
  severity?: Severity;
}
