import { Module } from '@nestjs/common';
import { CapController } from './cap.controller.js';
import { CapService } from './cap.service.js';

/** CAP 1.2 export and the Atom feed, made from the event log. */
@Module({ controllers: [CapController], providers: [CapService] })
export class CapModule {}
