import { Module } from '@nestjs/common';
import { PositionBroadcaster } from './position-broadcaster.js';
import { PositionWriter } from './position-writer.js';
import { ReturnWatch } from './return-watch.js';
import { SquadsController } from './squads.controller.js';
import { SquadsService } from './squads.service.js';

@Module({ controllers: [SquadsController], providers: [SquadsService, PositionBroadcaster, PositionWriter, ReturnWatch], exports: [SquadsService] })
export class SquadsModule {}
