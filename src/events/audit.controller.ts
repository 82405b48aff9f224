import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '../common/decorators.js';
import { type ChainVerification, verifyEventChain } from './event-chain.js';

/** The event log proves it was not edited: its hash chain, checked end to end (also `npm run audit:verify`). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('verify')
  @Roles('commander')
  @ApiOkResponse({ description: '{ok, checked, firstBadId?}: the first altered event, or the first after missing ones' })
  verify(): Promise<ChainVerification> {
    return verifyEventChain(this.dataSource);
  }
}
