import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service.js';
import { ReadinessService } from './readiness.service.js';
import { StockAlerts } from './stock-alerts.js';
import { StockService } from './stock.service.js';
import { SuppliesController } from './supplies.controller.js';

@Module({
  controllers: [SuppliesController],
  providers: [CatalogService, StockService, ReadinessService, StockAlerts],
  exports: [ReadinessService, StockService],
})
export class SuppliesModule {}
