import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { AccountsService, type AccountView as Account } from './accounts.service.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { AccountView, UserView } from './dto/login.dto.js';
import { UsersService } from './users.service.js';

/** Accounts for real people, made by the command center (production has no demo accounts). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
  ) {}

  @Get()
  @Roles('commander')
  @ApiOkResponse({ type: [AccountView] })
  list(): Promise<Account[]> {
    return this.accounts.list();
  }

  /** No more logins; their tokens get 401 AUTH.USER_DISABLED and their sockets are disconnected, on every instance. */
  @Post(':id/disable')
  @Roles('commander')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountView })
  disable(@CurrentUser() actor: AuthUser, @Param('id', UuidPipe) id: string): Promise<Account> {
    return this.accounts.disable(actor, id);
  }

  /** May log in again (tokens issued before the disable stay refused). */
  @Post(':id/enable')
  @Roles('commander')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountView })
  enable(@CurrentUser() actor: AuthUser, @Param('id', UuidPipe) id: string): Promise<Account> {
    return this.accounts.enable(actor, id);
  }

  @Post()
  @Roles('commander')
  @ApiCreatedResponse({ type: UserView })
  create(@Body() body: CreateUserDto): Promise<AuthUser> {
    return this.users.create(body);
  }
}
