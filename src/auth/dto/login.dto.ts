import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'commander', description: 'Account name' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'pingji-demo', description: 'Password' })
  @IsString()
  @Length(1, 256)
  password: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['commander', 'squad_leader', 'coordinator', 'viewer'] }) role: string;
  @ApiProperty({ required: false, nullable: true, description: 'Set for squad leaders: the squad they act for' })
  squadId?: string | null;
}

export class LoginResult {
  @ApiProperty({ description: 'JWT to send as Authorization: Bearer <token>' }) accessToken: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
