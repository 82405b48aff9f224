import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser, Roles } from '../common/decorators.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { UuidPipe } from '../common/id-param.js';
import { CatalogService } from './catalog.service.js';
import { LedgerQuery, PutRequirementsDto, ReadinessQuery, StockMovementDto, StockTransferDto } from './dto/stock.dto.js';
import { ReadinessService } from './readiness.service.js';
import { StockService } from './stock.service.js';

@ApiTags('supplies')
@ApiBearerAuth()
@Controller()
export class SuppliesController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
    private readonly readinessService: ReadinessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('supply-items')
  items() {
    return this.catalog.items();
  }

  @Get('reserve-requirements')
  requirements() {
    return this.catalog.requirements();
  }

  @Put('reserve-requirements')
  @Roles('commander')
  putRequirements(@CurrentUser() user: AuthUser, @Body() body: PutRequirementsDto) {
    return this.catalog.putRequirements(user, body.requirements);
  }

  @Get('facilities/:id/stock')
  @ApiOkResponse({ description: 'Per item: quantity, usable (unexpired), required, lots with expiry' })
  stockOf(@Param('id', UuidPipe) id: string) {
    return this.stock.stockOf(id);
  }

  @Post('stock-movements')
  @Roles('commander')
  @ApiCreatedResponse({ description: 'The new quantity; 409 STOCK.INSUFFICIENT when there is not enough' })
  move(@CurrentUser() user: AuthUser, @Body() body: StockMovementDto) {
    return this.stock.move(user, body);
  }

  @Post('stock-transfers')
  @Roles('commander')
  transfer(@CurrentUser() user: AuthUser, @Body() body: StockTransferDto) {
    return this.stock.transfer(user, body);
  }

  @Get('stock-movements')
  ledger(@Query() q: LedgerQuery) {
    return this.stock.ledger(q);
  }

  @Get('readiness')
  @ApiOkResponse({ description: 'Per site: ready, shortfalls, lots expiring soon; summary per area and type' })
  readiness(@Query() q: ReadinessQuery) {
    return this.readinessService.readiness(q, this.config.stockExpiryWarningDays);
  }
}
