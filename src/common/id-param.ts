import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event id in a path: digits only, else 400 (never a database error turned 500). */
@Injectable()
export class EventIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^\d{1,18}$/.test(value)) throw new DomainError('REQUEST.BAD_ID', 'invalid', { value, reason: 'event' });
    return value;
  }
}

/** A record id (UUID) in a path, else 400. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError('REQUEST.BAD_ID', 'invalid', { value });
    return value.toLowerCase();
  }
}
