import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { MODES } from '../../contracts/facility-types.js';

export class SwitchoverScopeDto {
  @ApiPropertyOptional({ type: [String], description: 'These sites' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100000)
  @IsUUID('all', { each: true, message: 'facilityIds must hold facility ids' })
  facilityIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['xiangzhi'], description: 'Every site in these areas (with types: of those types)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  areas?: string[];

  @ApiPropertyOptional({ type: [String], example: ['elder_canteen'], description: 'Every site of these types (with areas: in those areas)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  types?: string[];

  @ApiPropertyOptional({ description: 'The whole city' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class SwitchoverDto {
  @ApiProperty({ enum: MODES })
  @IsIn(MODES, { message: 'mode must be normal or emergency' })
  mode: (typeof MODES)[number];

  @ApiProperty({ example: '台风“海葵”橙色预警，沿海各点位转入应急状态', description: 'Why, for the record: 2–500 characters' })
  @IsString()
  @Length(2, 500, { message: 'reason is required: say why, in 2 to 500 characters' })
  reason: string;

  @ApiProperty({ type: SwitchoverScopeDto })
  @ValidateNested()
  @Type(() => SwitchoverScopeDto)
  scope: SwitchoverScopeDto;
}
