import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { AllowApiToken, CurrentUser } from '../common/decorators.js';
import { EventIdPipe } from '../common/id-param.js';
import { ATOM_CONTENT_TYPE, CAP_CONTENT_TYPE } from './content-types.js';
import { CapService } from './cap.service.js';
import { CapFeedQuery } from './dto/cap-feed.dto.js';

/**
 * CAP 1.2 for the city's warning platforms: one message per alert, and an Atom feed of them. Readable
 * with a login (leaders see what they may see) or a read-only API token (sees what a viewer sees).
 */
@ApiTags('cap')
@ApiBearerAuth()
@Controller()
export class CapController {
  constructor(private readonly cap: CapService) {}

  @Get('alerts/:id/cap')
  @AllowApiToken()
  @Header('Content-Type', CAP_CONTENT_TYPE)
  @ApiProduces('application/cap+xml')
  @ApiOkResponse({ description: 'The alert as a CAP 1.2 message (zh-CN and en-US info blocks)' })
  alert(@CurrentUser() user: AuthUser, @Param('id', EventIdPipe) id: string): Promise<string> {
    return this.cap.alertXml(user, id);
  }

  @Get('cap/feed')
  @AllowApiToken()
  @Header('Content-Type', ATOM_CONTENT_TYPE)
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom feed of the newest CAP messages, newest first, each linking to its CAP document' })
  feed(@CurrentUser() user: AuthUser, @Query() q: CapFeedQuery): Promise<string> {
    return this.cap.feedXml(user, q.limit);
  }
}
