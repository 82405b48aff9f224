import { Module } from '@nestjs/common';
import { SuppliesModule } from '../supplies/supplies.module.js';
import { RollCallsModule } from '../roll-calls/roll-calls.module.js';
import { AreasController } from './areas.controller.js';
import { FacilitiesController } from './facilities.controller.js';
import { FacilitiesService } from './facilities.service.js';
import { SwitchoverService } from './switchover.service.js';
import { SwitchoversController } from './switchovers.controller.js';

@Module({
  imports: [SuppliesModule, RollCallsModule],
  controllers: [FacilitiesController, SwitchoversController, AreasController],
  providers: [FacilitiesService, SwitchoverService],
  exports: [FacilitiesService, SwitchoverService],
})
export class FacilitiesModule {}
