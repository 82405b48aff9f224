/**
 * The outbound message port: how Pingji reaches people beyond the app (SMS, voice). Features never call
 * a gateway: they write an outbox row inside their own transaction (OutboxService.enqueue, or
 * insertOutboxFrom inside a statement of their own), so a message exists exactly when the change that
 * caused it committed. A delivery job hands unsent rows to the one
 * configured driver. To plug a real gateway, implement OutboundDriver and provide it as OUTBOUND_DRIVER
 * in outbound.module.ts (README, "Plugging a real SMS or voice gateway").
 */
export interface OutboundMessage {
  id: string;
  channel: 'sms' | 'voice';
  /** `user:<username>`: the driver resolves a phone number from the city's own directory. */
  recipient: string;
  body: string;
  /** A code the person can send back (SMS reply, voice keypad) to answer; see POST /api/outbox/replies. */
  replyCode: string | null;
  topic: string;
  exercise: boolean;
}

export interface OutboundDriver {
  /** Stored on each row it delivers. */
  readonly name: string;
  /** Resolve when the gateway accepted the message; throw to have it retried on the next run. */
  deliver(message: OutboundMessage): Promise<void>;
}

export const OUTBOUND_DRIVER = Symbol('OUTBOUND_DRIVER');

/** What a feature asks to send, inside its transaction. */
export interface NewOutboundMessage {
  channel?: 'sms' | 'voice';
  userId: string;
  username: string;
  body: string;
  replyCode?: string | null;
  topic: 'roll_call' | 'roll_call.resend' | 'dispatch';
  refId?: string | null;
  exercise?: boolean;
}
