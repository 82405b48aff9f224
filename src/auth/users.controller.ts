import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { Roles } from '../common/decorators.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UserView } from './dto/login.dto.js';
import { UsersService } from './users.service.js';

/** Accounts for real people, made by the command center (production has no demo accounts). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('commander')
  @ApiOkResponse({ type: [UserView] })
  list(): Promise<AuthUser[]> {
    return this.users.list();
  }

  @Post()
  @Roles('commander')
  @ApiCreatedResponse({ type: UserView })
  create(@Body() body: CreateUserDto): Promise<AuthUser> {
    return this.users.create(body);
  }
}
