import { createRequire } from 'node:module';
import type * as XmlBuilder2 from 'xmlbuilder2';

const require = createRequire(import.meta.url);
let xmlbuilder2: typeof XmlBuilder2 | undefined;

/**
 * xmlbuilder2's `create`, loaded on first use: the library and its DOM are some 10 MB of memory that an
 * instance no warning platform polls never needs.
 */
export const createXml = ((...args: Parameters<typeof XmlBuilder2.create>) =>
  (xmlbuilder2 ??= require('xmlbuilder2') as typeof XmlBuilder2).create(...args)) as typeof XmlBuilder2.create;
