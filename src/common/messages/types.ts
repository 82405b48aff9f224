import type { ErrorCode } from '../../contracts/errors.js';

/** The details a message names (ids, statuses, counts); every template also reads well without them. */
export type MessageParams = Readonly<Record<string, string | number | undefined>>;
export type Template = (p: MessageParams) => string;
/** One text per error code: a catalogue per language, so a code without a text does not compile. */
export type Catalogue = Record<ErrorCode, Template>;
