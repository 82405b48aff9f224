import { type DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CapModule } from './cap/cap.module.js';
import type { AppConfig } from './config/config.js';
import { IdempotencyKeyExpiry } from './common/idempotency.interceptor.js';
import { ClientConfigController } from './client-config/client-config.controller.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { SeedModule } from './seed/seed.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { DrillsModule } from './drills/drills.module.js';
import { ENTITIES } from './entities.js';
import { EventsModule } from './events/events.module.js';
import { FacilitiesModule } from './facilities/facilities.module.js';
import { HealthController } from './health/health.controller.js';
import { ImportsModule } from './imports/imports.module.js';
import { NoticesModule } from './notices/notices.module.js';
import { PlansModule } from './plans/plans.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { SquadsModule } from './squads/squads.module.js';
import { SuppliesModule } from './supplies/supplies.module.js';
import { SitesModule } from './sites/sites.module.js';
import { OutboundModule } from './outbound/outbound.module.js';
import { RollCallsModule } from './roll-calls/roll-calls.module.js';

@Module({})
export class AppModule {
  /** The whole application for one validated configuration (main.ts and the tests build it alike). */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Log lines are written off the event loop (a request should not wait for a write to stdout);
          // pino flushes what is pending when the process exits.
          pinoHttp: [{
            level: config.logLevel,
            // Keep a caller's request id, or make one; it is echoed back and in every log line.
            genReqId: (req, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          }, pino.destination({ sync: false })],
        }),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot(ENTITIES),
        SeedModule,
        AuthModule,
        EventsModule,
        RealtimeModule,
        AlertsModule,
        CapModule,
        NoticesModule,
        FacilitiesModule,
        SquadsModule,
        DispatchModule,
        SuppliesModule,
        DrillsModule,
        ImportsModule,
        PlansModule,
        OutboundModule,
        SitesModule,
        RollCallsModule,
      ],
      controllers: [HealthController, ClientConfigController],
      providers: [IdempotencyKeyExpiry],
    };
  }
}
