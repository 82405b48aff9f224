import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error.js';

/** An event id in a path: digits only, else 400 (never a database error turned 500). */
@Injectable()
export class EventIdPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!/^\d{1,18}$/.test(value)) throw new DomainError('REQUEST.BAD_ID', 'invalid', `${meta.data ?? 'id'} must be an event id (digits)`);
    return value;
  }
}
