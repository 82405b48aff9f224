import { Module } from '@nestjs/common';
import { CheckIns } from './check-ins.js';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { DispatchService } from './dispatch.service.js';
import { DispatchesController } from './dispatches.controller.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  controllers: [IncidentsController, DispatchesController],
  providers: [IncidentsService, DispatchService, DeadlineSweeper, CheckIns],
  exports: [IncidentsService, DispatchService],
})
export class DispatchModule {}
