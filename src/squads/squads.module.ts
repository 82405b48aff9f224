import { Module } from '@nestjs/common';
import { PositionBroadcaster } from './position-broadcaster.js';
import { SquadsController } from './squads.controller.js';
import { SquadsService } from './squads.service.js';

@Module({ controllers: [SquadsController], providers: [SquadsService, PositionBroadcaster], exports: [SquadsService] })
export class SquadsModule {}
