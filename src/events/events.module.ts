import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { CommittingEvents } from './committing-events.js';
import { EventRelay } from './event-relay.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { UserChannel } from './user-channel.js';

/**
 * Global: every feature appends its events through EventsService, inside its own transaction, and sends
 * one user's transient messages (import progress) through UserChannel; the gateway delivers both.
 */
@Global()
@Module({
  controllers: [EventsController, AuditController],
  providers: [EventsService, CommittingEvents, EventRelay, UserChannel],
  exports: [EventsService, EventRelay, UserChannel],
})
export class EventsModule {}
