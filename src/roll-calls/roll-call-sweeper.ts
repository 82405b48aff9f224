import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { RollCallsService } from './roll-calls.service.js';

const ROLL_CALL_LOCK = 7_400_111;

/**
 * Escalates 叫应 entries past their deadline. The deadline and the escalation mark are columns, so a
 * restart forgets nothing, and the conditional UPDATE takes each entry once: escalation happens once.
 */
@Injectable()
export class RollCallSweeper implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly rollCalls: RollCallsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'roll-call-escalation',
      ms: this.config.sweepIntervalMs,
      lockKey: ROLL_CALL_LOCK,
      work: (m) => this.rollCalls.escalateDue(m),
    });
  }

  /** Runs the sweep now (tests). */
  sweepNow(): Promise<boolean> {
    return this.job!.runOnce();
  }
}
