import { Logger } from '@nestjs/common';
import type { OutboundDriver, OutboundMessage } from './outbound-port.js';

/** The shipped driver: writes each message to the log; the outbox table keeps what would have been sent. */
export class LogDriver implements OutboundDriver {
  readonly name = 'log';
  private readonly logger = new Logger('Outbound');

  deliver(message: OutboundMessage): Promise<void> {
    const tag = message.exercise ? ' [exercise]' : '';
    this.logger.log(`${message.channel} to ${message.recipient}${tag}: ${message.body}${message.replyCode ? ` (reply code ${message.replyCode})` : ''}`);
    return Promise.resolve();
  }
}
