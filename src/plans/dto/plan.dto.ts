import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min,
  ValidateNested,
} from 'class-validator';
import { CENTER_KINDS, FACILITY_TYPES } from '../../contracts/facilities.js';
import { HAZARDS, PLAN_LEVELS } from '../../contracts/plans.js';
import { SKILLS } from '../../contracts/squads.js';
import { QueryBoolean } from '../../common/query-boolean.js';

const LEVEL_MESSAGE = 'level must be 4 (Ⅳ), 3 (Ⅲ), 2 (Ⅱ) or 1 (Ⅰ)';

export class PlanScopeDto {
  @ApiPropertyOptional({ description: 'The whole city' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['xiangzhi'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  areas?: string[];

  @ApiPropertyOptional({ type: [String], example: ['neighborhood_center'] })
  @IsOptional()
  @IsArray()
  @IsIn(FACILITY_TYPES, { each: true, message: `types must be among ${FACILITY_TYPES.join(', ')}` })
  types?: (typeof FACILITY_TYPES)[number][];

  @ApiPropertyOptional({ type: [String], example: ['fishing_port'], description: 'Neighborhood center kinds' })
  @IsOptional()
  @IsArray()
  @IsIn(CENTER_KINDS, { each: true, message: `kinds must be among ${CENTER_KINDS.join(', ')}` })
  kinds?: (typeof CENTER_KINDS)[number][];

  @ApiPropertyOptional({ type: [String], example: ['XZ-NC-01'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  facilityCodes?: string[];
}

export class PlanStandbyDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  areas?: string[];

  @ApiPropertyOptional({ type: [String], example: ['water_rescue'] })
  @IsOptional()
  @IsArray()
  @IsIn(SKILLS, { each: true, message: `skills must be among ${SKILLS.join(', ')}` })
  skills?: string[];

  @ApiPropertyOptional({ description: 'At most this many squads per area (all matching when absent)' })
  @IsOptional()
  @IsInt({ message: 'perArea must be a whole number' })
  @Min(1)
  @Max(128)
  perArea?: number;
}

export class PlanLevelDto {
  @ApiProperty({ enum: PLAN_LEVELS })
  @IsIn(PLAN_LEVELS, { message: LEVEL_MESSAGE })
  level: (typeof PLAN_LEVELS)[number];

  @ApiProperty({ type: PlanScopeDto })
  @ValidateNested()
  @Type(() => PlanScopeDto)
  scope: PlanScopeDto;

  @ApiProperty({ type: PlanStandbyDto })
  @ValidateNested()
  @Type(() => PlanStandbyDto)
  standby: PlanStandbyDto;

  @ApiProperty({ type: [String], example: ['life_jacket'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  reserveItems: string[];

  @ApiProperty({ description: 'Per facility type: [{title, titleEn?, minutes, who?}]' })
  @IsObject({ message: 'checklists must be an object: facility type → tasks' })
  checklists: Record<string, unknown>;
}

export class PlanBodyDto {
  @ApiProperty({ example: '台风防御应急预案' })
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ example: 'Typhoon response plan' })
  @IsString()
  @Length(2, 200)
  nameEn: string;

  @ApiProperty({ enum: HAZARDS })
  @IsIn(HAZARDS, { message: `hazard must be one of ${HAZARDS.join(', ')}` })
  hazard: (typeof HAZARDS)[number];

  @ApiProperty({ type: [PlanLevelDto], description: 'The four levels 4, 3, 2, 1' })
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => PlanLevelDto)
  levels: PlanLevelDto[];
}

export class CreatePlanDto extends PlanBodyDto {
  @ApiProperty({ example: 'storm_surge' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'code must be 2–40 lower-case letters, digits or _' })
  code: string;
}

export class ActivateDto {
  @ApiProperty({ enum: PLAN_LEVELS })
  @IsIn(PLAN_LEVELS, { message: LEVEL_MESSAGE })
  level: (typeof PLAN_LEVELS)[number];

  @ApiProperty({ example: '台风“海葵”蓝色预警' })
  @IsString()
  @Length(2, 500, { message: 'reason is required: say why, in 2 to 500 characters' })
  reason: string;

  @ApiPropertyOptional({ description: 'Say what would happen, change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'A drill: no real mode, squad or stock changes' })
  @IsOptional()
  @IsBoolean()
  exercise?: boolean;
}

export class LevelDto {
  @ApiProperty({ enum: PLAN_LEVELS })
  @IsIn(PLAN_LEVELS, { message: LEVEL_MESSAGE })
  level: (typeof PLAN_LEVELS)[number];

  @ApiProperty()
  @IsString()
  @Length(2, 500, { message: 'reason is required: say why, in 2 to 500 characters' })
  reason: string;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @Length(2, 500, { message: 'reason is required: say why, in 2 to 500 characters' })
  reason: string;
}

export class TaskDoneDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}

export class ListActivationsQuery {
  @QueryBoolean('active must be true or false')
  active?: boolean;
}

export class ListTasksQuery {
  @IsOptional()
  @IsUUID('all', { message: 'activationId must be an activation id' })
  activationId?: string;

  @IsOptional()
  @IsUUID('all', { message: 'facilityId must be a facility id' })
  facilityId?: string;

  @IsOptional()
  @IsIn(['open', 'done'], { message: 'status must be open or done' })
  status?: 'open' | 'done';
}

export class ReportQuery {
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}
