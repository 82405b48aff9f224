import { Module } from '@nestjs/common';
import { LogDriver } from './log-driver.js';
import { OUTBOUND_DRIVER } from './outbound-port.js';
import { OutboxController } from './outbox.controller.js';
import { OutboxService } from './outbox.service.js';

/** The outbound message port. A real gateway replaces LogDriver here (README). */
@Module({
  controllers: [OutboxController],
  providers: [OutboxService, { provide: OUTBOUND_DRIVER, useClass: LogDriver }],
  exports: [OutboxService],
})
export class OutboundModule {}
