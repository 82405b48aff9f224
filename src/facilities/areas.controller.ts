import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FacilitiesService } from './facilities.service.js';

@ApiTags('facilities')
@ApiBearerAuth()
@Controller('areas')
export class AreasController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Get()
  @ApiOkResponse({ description: 'Areas (街道/镇) with their centre and how many sites and grid zones they have' })
  list() {
    return this.facilities.areas();
  }
}
