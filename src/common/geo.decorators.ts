import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsLatitude, IsLongitude } from 'class-validator';

/** A WGS84 latitude in degrees, checked, with the message every DTO gives. */
export const Latitude = (example = 24.73) =>
  applyDecorators(ApiProperty({ example, description: 'WGS84 latitude, degrees' }), Type(() => Number), IsLatitude({ message: 'lat must be a latitude between -90 and 90' }));

/** A WGS84 longitude in degrees. */
export const Longitude = (example = 118.65) =>
  applyDecorators(ApiProperty({ example, description: 'WGS84 longitude, degrees' }), Type(() => Number), IsLongitude({ message: 'lng must be a longitude between -180 and 180' }));
