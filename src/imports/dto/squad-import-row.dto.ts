import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SKILLS } from '../../contracts/squads.js';

const skillMessage = (field: string) => `${field} must be skills from: ${SKILLS.join(', ')} (separated by ;)`;

/**
 * One line of a squads CSV: a member of a squad, with the squad's own fields (repeated on each of its
 * lines, or given once on its first line). A line without memberName is a squad without members.
 */
export class SquadImportRowDto {
  @Matches(/^[A-Za-z0-9_-]{2,40}$/, { message: 'squadCode must be 2–40 letters, digits, dashes or underscores (e.g. SQ-001)' })
  squadCode: string;

  @IsOptional()
  @IsString()
  @Length(1, 80, { message: 'squadName must be 1–80 characters' })
  squadName?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'areaCode must be an area code such as xiangzhi (GET /api/areas)' })
  areaCode?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{2,40}$/, { message: 'baseSiteCode must be the code of a site (e.g. XZ-NC-01)' })
  baseSiteCode?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SKILLS.length)
  @IsIn(SKILLS, { each: true, message: skillMessage('squadSkills') })
  squadSkills?: string[];

  @IsOptional()
  @IsString()
  @Length(1, 60, { message: 'memberName must be 1–60 characters' })
  memberName?: string;

  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'memberPhone must be a phone number (digits, spaces, dashes, optional +)' })
  memberPhone?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SKILLS.length)
  @IsIn(SKILLS, { each: true, message: skillMessage('memberSkills') })
  memberSkills?: string[];

  @IsOptional()
  @IsBoolean({ message: 'partyMember must be true or false (yes/no, 1/0, 是/否)' })
  partyMember?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'isLeader must be true or false (yes/no, 1/0, 是/否)' })
  isLeader?: boolean;
}

export const SQUAD_COLUMNS_IN_FILES = [
  'squadCode', 'squadName', 'areaCode', 'baseSiteCode', 'squadSkills', 'memberName', 'memberPhone', 'memberSkills', 'partyMember', 'isLeader',
] as const;
export const REQUIRED_SQUAD_COLUMNS = ['squadCode', 'squadName', 'areaCode', 'memberName'] as const;
