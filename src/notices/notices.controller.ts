import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { PostNoticeDto } from './dto/post-notice.dto.js';
import { NoticesService } from './notices.service.js';
import type { EventView } from '../contracts/events.js';

/** A bulletin from the command center to every dashboard and phone (e.g. a typhoon warning level). */
@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @Roles('commander')
  @ApiCreatedResponse({ description: 'The notice.posted event' })
  post(@CurrentUser() user: AuthUser, @Body() body: PostNoticeDto): Promise<EventView> {
    return this.notices.post(user, body);
  }
}
