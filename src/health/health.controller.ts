import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** Liveness with a database round trip: load balancers take an instance out when its database is gone. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ schema: { example: { status: 'ok', db: 'up' } } })
  @ApiServiceUnavailableResponse({ description: 'The database did not answer in time' })
  async check(@Res({ passthrough: true }) res: Response) {
    if (await this.databaseAnswers()) return { status: 'ok', db: 'up' };
    res.status(503).set('Retry-After', '5');
    return { statusCode: 503, code: 'DB.UNAVAILABLE', message: 'The database is not reachable.', status: 'unavailable', db: 'down' };
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.min(this.config.dbTimeoutMs, 3000))));
    try {
      const query = this.dataSource.query('SELECT 1').then(() => true, () => false);
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
