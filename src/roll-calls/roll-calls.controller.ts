import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Public, Roles } from '../common/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { UuidPipe } from '../common/id-param.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AnswerDto, ListRollCallsQuery, ReplyDto, StartRollCallDto } from './dto/roll-call.dto.js';
import { RollCallsService } from './roll-calls.service.js';

@ApiTags('roll-calls')
@ApiBearerAuth()
@Controller()
export class RollCallsController {
  constructor(
    private readonly rollCalls: RollCallsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 叫应: one entry per addressee (site managers of the sites/areas, leaders of the squads, users of the roles). */
  @Post('roll-calls')
  @Roles('commander', 'coordinator')
  @ApiCreatedResponse({ description: '{id, entries:[{userId, username, answeredAt?, escalatedAt?}], …}' })
  start(@CurrentUser() user: AuthUser, @Body() body: StartRollCallDto) {
    return this.rollCalls.start(user, {
      message: body.message,
      audience: body.audience,
      answerWithinSeconds: Math.max(1, Math.round(body.answerWithinMinutes * 60)),
      exercise: !!body.exercise,
    });
  }

  @Get('roll-calls')
  @ApiOkResponse({ description: 'Staff: every round; an addressee: the rounds that ask them (their own entry only)' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListRollCallsQuery) {
    return this.rollCalls.list(user, q.open);
  }

  @Get('roll-calls/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.rollCalls.get(user, id);
  }

  /** One tap on the phone; again is harmless (the first answer stands). */
  @Post('roll-calls/:id/answer')
  @HttpCode(200)
  answer(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: AnswerDto) {
    return this.rollCalls.answer(user, id, body.note);
  }

  /**
   * The inbound hook of the outbound port: an SMS/voice gateway posts a reply code that came back, with
   * the shared secret OUTBOUND_REPLY_SECRET in X-Gateway-Secret. Taken exactly like an answer in the app.
   */
  @Post('outbox/replies')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'X-Gateway-Secret', required: true, description: 'OUTBOUND_REPLY_SECRET' })
  reply(@Headers('x-gateway-secret') secret: string | undefined, @Body() body: ReplyDto) {
    const expected = this.config.outboundReplySecret;
    if (!expected) throw new DomainError('OUTBOUND.HOOK_OFF', 'forbidden', {});
    const given = Buffer.from(secret ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new DomainError('OUTBOUND.BAD_SECRET', 'unauthorized', {});
    }
    return this.rollCalls.answerByReplyCode(body.replyCode, body.note);
  }
}
