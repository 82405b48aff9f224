import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { ActivationsService } from './activations.service.js';

const SWEEP_LOCK = 7_400_302;

/**
 * Reports sites still converting past their expected time: a warning alert (conversion.overdue) once
 * per site and activation. The expected time lives in the database, so a restart forgets nothing.
 */
@Injectable()
export class ConversionOverdueSweeper implements OnModuleInit {
  runOnce: () => Promise<boolean> = () => Promise.resolve(false);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly activations: ActivationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runOnce = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'conversion-overdue',
      ms: this.config.sweepIntervalMs,
      lockKey: SWEEP_LOCK,
      work: (m) => this.activations.reportOverdue(m),
    }).runOnce;
  }
}
