import { Module } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { DrillReportService } from './drill-report.service.js';
import { DrillsController } from './drills.controller.js';
import { DrillsService } from './drills.service.js';

@Module({ imports: [DispatchModule], controllers: [DrillsController], providers: [DrillsService, DrillReportService] })
export class DrillsModule {}
