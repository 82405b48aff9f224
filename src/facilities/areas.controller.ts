import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FacilitiesService } from './facilities.service.js';

@ApiTags('facilities')
@ApiBearerAuth()
@Controller()
export class AreasController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Get('areas')
  @ApiOkResponse({ description: 'Areas (街道/镇) with their centre and how many sites and grid zones they have' })
  list() {
    return this.facilities.areas();
  }

  @Get('areas.geojson')
  @Header('content-type', 'application/geo+json; charset=utf-8')
  @ApiOkResponse({ description: "RFC 7946 FeatureCollection of the areas' approximate boundaries (Polygons); areas without a shape are left out" })
  shapes() {
    return this.facilities.areaShapes();
  }
}
