import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { QueryBoolean } from '../../common/query-boolean.js';
import { ROLES } from '../../contracts/auth.js';

export class AudienceDto {
  @ApiPropertyOptional({ type: [String], description: 'Sites: their managers are asked' })
  @IsOptional()
  @IsArray({ message: 'audience.facilityIds must be a list of facility ids' })
  @ArrayMaxSize(2000, { message: 'audience.facilityIds may name at most 2000 sites' })
  @IsUUID('all', { each: true, message: 'each audience.facilityIds entry must be a facility id (a UUID)' })
  facilityIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['xiangzhi'], description: 'Areas: the managers of their sites are asked' })
  @IsOptional()
  @IsArray({ message: 'audience.areas must be a list of area codes' })
  @ArrayMaxSize(100, { message: 'audience.areas may name at most 100 areas' })
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { each: true, message: 'each audience.areas entry must be an area code such as xiangzhi' })
  areas?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Squads: their leaders are asked' })
  @IsOptional()
  @IsArray({ message: 'audience.squadIds must be a list of squad ids' })
  @ArrayMaxSize(500, { message: 'audience.squadIds may name at most 500 squads' })
  @IsUUID('all', { each: true, message: 'each audience.squadIds entry must be a squad id (a UUID)' })
  squadIds?: string[];

  @ApiPropertyOptional({ type: [String], enum: ROLES, description: 'Every enabled user of these roles is asked' })
  @IsOptional()
  @IsArray({ message: 'audience.roles must be a list of roles' })
  @IsIn(ROLES, { each: true, message: `each audience.roles entry must be one of ${ROLES.join(', ')}` })
  roles?: string[];
}

export class StartRollCallDto {
  @ApiProperty({ example: '台风红色预警：请立即确认阵地已开放并回复。' })
  @IsString({ message: 'message must be text' })
  @Length(1, 500, { message: 'message must say what to confirm, in 1 to 500 characters' })
  message: string;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiProperty({ example: 10, description: 'Minutes to answer (decimals allowed), 0.05 to 1440' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'answerWithinMinutes must be a number of minutes' })
  @Min(0.05, { message: 'answerWithinMinutes must be at least 0.05 (3 seconds)' })
  @Max(1440, { message: 'answerWithinMinutes must be at most 1440 (a day)' })
  answerWithinMinutes: number;

  @ApiPropertyOptional({ description: 'An exercise round (coordinators may start only these); marked exercise everywhere' })
  @IsOptional()
  @IsBoolean({ message: 'exercise must be true or false' })
  exercise?: boolean;
}

export class AnswerDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @Length(0, 500, { message: 'note must be at most 500 characters' })
  note?: string;
}

export class ListRollCallsQuery {
  @ApiPropertyOptional({ description: 'true: only rounds with someone still to answer and not yet escalated' })
  @QueryBoolean('open must be true or false')
  open?: boolean;
}

/** What a gateway posts when a reply code comes back (an SMS reply, a voice keypad answer). */
export class ReplyDto {
  @ApiProperty({ example: 'A1B2C3D4' })
  @IsString({ message: 'replyCode must be text' })
  @Length(4, 32, { message: 'replyCode must be the code the message carried' })
  replyCode: string;

  @ApiPropertyOptional({ description: 'The rest of the reply text' })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @Length(0, 500, { message: 'note must be at most 500 characters' })
  note?: string;
}
