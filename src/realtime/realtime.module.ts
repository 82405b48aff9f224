import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SquadsModule } from '../squads/squads.module.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { ReplayService } from './replay.service.js';

@Module({ imports: [AuthModule, SquadsModule], providers: [RealtimeGateway, ReplayService] })
export class RealtimeModule {}
