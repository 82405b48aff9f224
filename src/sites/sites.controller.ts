import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { LimitQuery } from '../common/limit-query.dto.js';
import { CapacityQuery, FulfilRequestDto, SiteReportDto, SupplyRequestsQuery } from './dto/site.dto.js';
import { SitesService } from './sites.service.js';

@ApiTags('sites')
@ApiBearerAuth()
@Controller()
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  /** A site says how it is. Its manager or a commander; anyone else 403. */
  @Post('facilities/:id/reports')
  @Roles('site_manager', 'commander')
  @ApiCreatedResponse({ description: '{id, facilityId, status, occupancy, capacity, needs, note, by, at, supplyRequestIds}' })
  report(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: SiteReportDto) {
    return this.sites.report(user, id, body);
  }

  @Get('facilities/:id/reports')
  @ApiOkResponse({ description: 'The site’s reports, newest first' })
  history(@Param('id', UuidPipe) id: string, @Query() q: LimitQuery) {
    return this.sites.history(id, q.limit);
  }

  @Get('capacity')
  @ApiOkResponse({ description: '{areas:[{code, openSites, capacity, occupancy, free}], city:{openSites, capacity, occupancy, free}}' })
  capacity(@Query() q: CapacityQuery) {
    return this.sites.capacity(q.area);
  }

  /** The sites a site manager looks after (their phone view's list). */
  @Get('me/sites')
  mine(@CurrentUser() user: AuthUser) {
    return this.sites.mine(user);
  }

  @Get('supply-requests')
  @ApiOkResponse({ description: 'Lines sites asked for, newest first' })
  requests(@Query() q: SupplyRequestsQuery) {
    return this.sites.requests(q);
  }

  /** Turns the request into a stock transfer from `fromFacilityId` (409 STOCK.INSUFFICIENT if it has not enough). */
  @Post('supply-requests/:id/transfer')
  @Roles('commander')
  @HttpCode(200)
  fulfil(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: FulfilRequestDto) {
    return this.sites.fulfil(user, id, body);
  }
}
