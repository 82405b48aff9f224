import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsLatitude, IsLongitude, IsNumber } from 'class-validator';

// JSON numbers only: no conversion from text or booleans ("" became 0, true 1, "0x10" 16).
const finite = { allowNaN: false, allowInfinity: false };

/** A WGS84 latitude in degrees, checked, with the message every DTO gives. */
export const Latitude = (example = 24.73) =>
  applyDecorators(
    ApiProperty({ example, description: 'WGS84 latitude, degrees' }),
    IsNumber(finite, { message: 'lat must be a number (not text) between -90 and 90' }),
    IsLatitude({ message: 'lat must be a latitude between -90 and 90' }),
  );

/** A WGS84 longitude in degrees. */
export const Longitude = (example = 118.65) =>
  applyDecorators(
    ApiProperty({ example, description: 'WGS84 longitude, degrees' }),
    IsNumber(finite, { message: 'lng must be a number (not text) between -180 and 180' }),
    IsLongitude({ message: 'lng must be a longitude between -180 and 180' }),
  );
