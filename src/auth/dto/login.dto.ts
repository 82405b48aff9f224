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

export class RefreshDto {
  @ApiProperty({ description: 'The refreshToken of the last login or refresh; it can be used once' })
  @IsString()
  @Length(1, 256)
  refreshToken: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['commander', 'squad_leader', 'coordinator', 'viewer', 'site_manager'] }) role: string;
  @ApiProperty({ required: false, nullable: true, description: 'Set for squad leaders: the squad they act for' })
  squadId?: string | null;
}

export class AccountView extends UserView {
  @ApiProperty({ nullable: true, description: 'When the account was disabled; null while it may log in' })
  disabledAt: string | null;
}

export class LoginResult {
  @ApiProperty({ description: 'JWT to send as Authorization: Bearer <token>; short-lived (JWT_TTL)' }) accessToken: string;
  @ApiProperty({ description: 'Seconds until accessToken expires' }) expiresIn: number;
  @ApiProperty({ description: 'Opaque and single-use: POST /api/auth/refresh {refreshToken} gives a new pair before or after accessToken expires (REFRESH_TTL)' })
  refreshToken: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
