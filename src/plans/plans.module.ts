import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module.js';
import { RollCallsModule } from '../roll-calls/roll-calls.module.js';
import { SuppliesModule } from '../supplies/supplies.module.js';
import { ActivationReportService } from './activation-report.service.js';
import { ActivationsService } from './activations.service.js';
import { ConversionOverdueSweeper } from './overdue-sweeper.js';
import { ActivationsController, ConversionTasksController, PlansController } from './plans.controller.js';
import { PlansService } from './plans.service.js';

@Module({
  imports: [FacilitiesModule, SuppliesModule, RollCallsModule],
  controllers: [PlansController, ActivationsController, ConversionTasksController],
  providers: [PlansService, ActivationsService, ActivationReportService, ConversionOverdueSweeper],
})
export class PlansModule {}
