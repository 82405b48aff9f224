import { Body, Controller, Get, Header, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import { UuidPipe } from '../common/id-param.js';
import { CreateFacilityDto, ListFacilitiesQuery, UpdateFacilityDto } from './dto/facility.dto.js';
import { FacilitiesService } from './facilities.service.js';
import { parseBbox, type FacilityFilter } from './facility-filter.js';
import { toFeatureCollection } from './geojson.js';

const toFilter = (q: ListFacilitiesQuery): FacilityFilter => ({ type: q.type, area: q.area, mode: q.mode, bbox: q.bbox ? parseBbox(q.bbox) : undefined });

@ApiTags('facilities')
@ApiBearerAuth()
@Controller()
export class FacilitiesController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Get('facilities')
  @ApiOkResponse({ description: 'Sites, filtered by type, area, mode and bounding box' })
  list(@Query() q: ListFacilitiesQuery) {
    return this.facilities.list(toFilter(q));
  }

  @Get('facilities.geojson')
  @Header('content-type', 'application/geo+json; charset=utf-8')
  @ApiOkResponse({ description: 'RFC 7946 FeatureCollection of the sites ([lng, lat])' })
  async geojson(@Query() q: ListFacilitiesQuery) {
    return toFeatureCollection(await this.facilities.list(toFilter(q)));
  }

  @Get('facilities/:id')
  @ApiOkResponse({ description: 'One site with emergencyFunction, mode, modeChangedAt and a stock summary' })
  get(@Param('id', UuidPipe) id: string) {
    return this.facilities.getWithStock(id);
  }

  @Get('facilities/:id/modes')
  @ApiOkResponse({ description: 'Mode history, newest first' })
  history(@Param('id', UuidPipe) id: string) {
    return this.facilities.history(id);
  }

  @Post('facilities')
  @Roles('commander')
  @ApiCreatedResponse({ description: 'The new site' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateFacilityDto) {
    return this.facilities.create(user, dto);
  }

  @Patch('facilities/:id')
  @Roles('commander')
  update(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() dto: UpdateFacilityDto) {
    return this.facilities.update(user, id, dto);
  }
}
