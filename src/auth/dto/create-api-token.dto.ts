import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class CreateApiTokenDto {
  @ApiProperty({ example: '泉州市预警信息发布平台 (Quanzhou warning platform)', description: 'Who will use the token, 1–100 characters' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must say who will use the token, in 1 to 100 characters' })
  name: string;
}

export class ApiTokenCreated {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Shown this once: send it as Authorization: Bearer <token> to the CAP routes' }) token: string;
  @ApiProperty() createdAt: string;
}

export class ApiTokenView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, description: 'Username of the commander who made it' }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, description: 'Last request, to the minute' }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true }) revokedAt: string | null;
}
