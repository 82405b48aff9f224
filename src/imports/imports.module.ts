import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';

/** Bringing a city's sites and squads in, and taking its records out. */
@Module({ controllers: [ImportsController, ExportsController], providers: [ImportsService, ExportsService] })
export class ImportsModule {}
