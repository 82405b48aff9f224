import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public } from '../common/decorators.js';
import { LoginDto, LoginResult, RefreshDto, UserView } from './dto/login.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResult })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, ip);
  }

  /** A new pair for a refresh token, which is spent: sending it again ends that login's session. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResult })
  refresh(@Body() body: RefreshDto): Promise<LoginResult> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Ends the login the refresh token belongs to; its access token runs out on its own (JWT_TTL). */
  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The refresh token and every one renewed from the same login are revoked' })
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}
