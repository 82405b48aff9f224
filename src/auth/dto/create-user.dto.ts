import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { type Role, ROLES } from '../../contracts/auth.js';

export class CreateUserDto {
  @ApiProperty({ example: 'leader-xiangzhi-2', description: 'Letters, digits, dot, dash, underscore; 3–64 characters' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'username must be 3–64 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ description: 'At least 10 characters' })
  @IsString()
  @Length(10, 256, { message: 'password must be 10 to 256 characters long' })
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiProperty({ required: false, description: 'Required for squad_leader: the squad they lead' })
  @IsOptional()
  @IsUUID('all', { message: 'squadId must be a squad id (a UUID)' })
  squadId?: string;

  @ApiProperty({ required: false, type: [String], description: 'Required for site_manager: the sites (facility ids) they look after' })
  @IsOptional()
  @IsArray({ message: 'facilityIds must be a list of facility ids' })
  @ArrayMinSize(1, { message: 'facilityIds must name at least one site' })
  @ArrayMaxSize(500, { message: 'facilityIds may name at most 500 sites' })
  @IsUUID('all', { each: true, message: 'each facilityId must be a facility id (a UUID)' })
  facilityIds?: string[];
}
