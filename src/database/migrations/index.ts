import { Users1764158400000 } from './1764158400000-Users.js';
import { EventLog1764158500000 } from './1764158500000-EventLog.js';
import { Facilities1764158600000 } from './1764158600000-Facilities.js';
import { SquadsDispatch1764158700000 } from './1764158700000-SquadsDispatch.js';
import { Supplies1764158800000 } from './1764158800000-Supplies.js';
import { Drills1764158900000 } from './1764158900000-Drills.js';
import { ApiTokens1764159000000 } from './1764159000000-ApiTokens.js';
import { Imports1764159100000 } from './1764159100000-Imports.js';
import { SocketIoAttachments1764159200000 } from './1764159200000-SocketIoAttachments.js';
import { Operations1764159300000 } from './1764159300000-Operations.js';
import { Sessions1764159400000 } from './1764159400000-Sessions.js';
import { EventChain1764159500000 } from './1764159500000-EventChain.js';
import { UsernameCase1764159510000 } from './1764159510000-UsernameCase.js';
import { IdempotencyExpiry1764159520000 } from './1764159520000-IdempotencyExpiry.js';
import { LogEpoch1764159600000 } from './1764159600000-LogEpoch.js';
import { Plans1764159700000 } from './1764159700000-Plans.js';
import { FieldAccountability1764159800000 } from './1764159800000-FieldAccountability.js';
import { SquadPhonePresence1764159900000 } from './1764159900000-SquadPhonePresence.js';
import { EventLogHead1764160000000 } from './1764160000000-EventLogHead.js';
import { PositionAnnouncements1764160100000 } from './1764160100000-PositionAnnouncements.js';

/** Every migration in order. `npm run migration:generate` writes new ones here: add them to this list. */
export const MIGRATIONS = [
  Users1764158400000, EventLog1764158500000, Facilities1764158600000, SquadsDispatch1764158700000, Supplies1764158800000, Drills1764158900000,
  ApiTokens1764159000000, Imports1764159100000, SocketIoAttachments1764159200000, Operations1764159300000,
  Sessions1764159400000, EventChain1764159500000, UsernameCase1764159510000, IdempotencyExpiry1764159520000,
  LogEpoch1764159600000, Plans1764159700000, FieldAccountability1764159800000, SquadPhonePresence1764159900000,
  EventLogHead1764160000000, PositionAnnouncements1764160100000,
];
