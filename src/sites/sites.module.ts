import { Module } from '@nestjs/common';
import { SuppliesModule } from '../supplies/supplies.module.js';
import { SitesController } from './sites.controller.js';
import { SitesService } from './sites.service.js';

/** Site managers' own reports, emergency capacity and occupancy, supply requests. */
@Module({ imports: [SuppliesModule], controllers: [SitesController], providers: [SitesService] })
export class SitesModule {}
