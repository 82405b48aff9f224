import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** What the dashboard needs before anyone logs in: where map tiles come from and where to look. */
@ApiTags('config')
@Controller('client-config')
export class ClientConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOkResponse({ schema: { example: { tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', center: [24.73, 118.65], zoom: 12 } } })
  get() {
    const { tileUrl, tileLabelsUrl, tileAttribution, commandCenterPhone, mapLinkUrl } = this.config;
    return { tileUrl, tileLabelsUrl, tileAttribution, commandCenterPhone, mapLinkUrl, center: [24.73, 118.65], zoom: 12 };
  }
}
