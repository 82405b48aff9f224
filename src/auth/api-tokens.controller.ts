import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../common/id-param.js';
import type { AuthUser } from '../common/auth-user.js';
import { ApiTokensService } from './api-tokens.service.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { ApiTokenCreated, ApiTokenView, CreateApiTokenDto } from './dto/create-api-token.dto.js';

/** Read-only tokens for warning platforms (CAP alert and feed only), managed by the command center. */
@ApiTags('api-tokens')
@ApiBearerAuth()
@Controller('api-tokens')
@Roles('commander')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiCreatedResponse({ type: ApiTokenCreated, description: 'The token is in this answer only; keep it' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateApiTokenDto): Promise<ApiTokenCreated> {
    return this.tokens.create(user, body.name);
  }

  @Get()
  @ApiOkResponse({ type: [ApiTokenView] })
  list(): Promise<ApiTokenView[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the token gets 401 from now on' })
  revoke(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.tokens.revoke(user, id);
  }
}
