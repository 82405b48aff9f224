import { Module } from '@nestjs/common';
import { OutboundModule } from '../outbound/outbound.module.js';
import { RollCallSweeper } from './roll-call-sweeper.js';
import { RollCallsController } from './roll-calls.controller.js';
import { RollCallsService } from './roll-calls.service.js';

/** 叫应 (call-and-answer) rounds and their escalation. */
@Module({
  imports: [OutboundModule],
  controllers: [RollCallsController],
  providers: [RollCallsService, RollCallSweeper],
  exports: [RollCallsService],
})
export class RollCallsModule {}
