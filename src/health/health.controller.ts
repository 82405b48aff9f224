import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators.js';
import { AppDataSource } from '../database/data-source-options.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';

/**
 * Liveness with a database round trip: load balancers take an instance out when its database is gone.
 *
 * The embedded database is one connection inside this process, and a long transaction (a 20,000-row
 * import) holds it for seconds. Waiting for it would make the probe report a busy instance as dead, so
 * there a round trip that has not come back within EMBEDDED_BUSY_MS counts as "busy": the database runs
 * in this thread, so an event loop free to answer and a database not closed is all a probe can learn.
 */
const EMBEDDED_BUSY_MS = 20;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ schema: { example: { status: 'ok', db: 'up' }, description: "db is 'busy' when the embedded database's one connection is held by a long transaction" } })
  @ApiServiceUnavailableResponse({ description: 'The database did not answer in time' })
  async check(@Res({ passthrough: true }) res: Response) {
    const embedded = this.dataSource instanceof AppDataSource ? this.dataSource.embedded : undefined;
    if (embedded && !embedded.closed) {
      return { status: 'ok', db: (await this.databaseAnswers(EMBEDDED_BUSY_MS)) ? 'up' : 'busy' };
    }
    if (await this.databaseAnswers(Math.min(this.config.dbTimeoutMs, 3000))) return { status: 'ok', db: 'up' };
    res.status(503).set('Retry-After', '5');
    return { statusCode: 503, code: 'DB.UNAVAILABLE', message: 'The database is not reachable.', status: 'unavailable', db: 'down' };
  }

  private async databaseAnswers(withinMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
    try {
      const query = this.dataSource.query('SELECT 1').then(() => true, () => false);
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
