import { Global, Module } from '@nestjs/common';
import { EventRelay } from './event-relay.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

/** Global: every feature appends its events through EventsService, inside its own transaction. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventsService, EventRelay],
  exports: [EventsService, EventRelay],
})
export class EventsModule {}
