import { createXml } from './xml-create.js';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { CapAlert } from './cap-types.js';
import { forXmlWriter } from './cap-text.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/** Adds <name>text</name> when there is a text; xmlbuilder2 escapes it (with forXmlWriter's help). */
const optional = (parent: XMLBuilder, name: string, text: string | undefined) => {
  if (text !== undefined && text !== '') parent.ele(CAP_NAMESPACE, name).txt(forXmlWriter(text));
};

/** The CAP 1.2 document, elements in the schema's order. Text comes in through xmlbuilder2 only. */
export function renderCapXml(alert: CapAlert): string {
  const doc = createXml({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(CAP_NAMESPACE, 'alert');
  const el = (parent: XMLBuilder, name: string, text: string) => parent.ele(CAP_NAMESPACE, name).txt(forXmlWriter(text)).up();
  el(root, 'identifier', alert.identifier);
  el(root, 'sender', alert.sender);
  el(root, 'sent', alert.sent);
  el(root, 'status', alert.status);
  el(root, 'msgType', alert.msgType);
  el(root, 'scope', alert.scope);
  optional(root, 'restriction', alert.restriction);
  optional(root, 'note', alert.note);
  optional(root, 'references', alert.references);
  optional(root, 'incidents', alert.incidents);
  for (const info of alert.info) {
    const i = root.ele(CAP_NAMESPACE, 'info');
    el(i, 'language', info.language);
    el(i, 'category', info.category);
    el(i, 'event', info.event);
    optional(i, 'responseType', info.responseType);
    el(i, 'urgency', info.urgency);
    el(i, 'severity', info.severity);
    el(i, 'certainty', info.certainty);
    el(i, 'senderName', info.senderName);
    el(i, 'headline', info.headline);
    el(i, 'description', info.description);
    optional(i, 'instruction', info.instruction);
    el(i, 'web', info.web);
    for (const p of info.parameters) {
      const param = i.ele(CAP_NAMESPACE, 'parameter');
      el(param, 'valueName', p.valueName);
      el(param, 'value', p.value);
    }
    const area = i.ele(CAP_NAMESPACE, 'area');
    el(area, 'areaDesc', info.area.areaDesc);
    optional(area, 'circle', info.area.circle);
  }
  return doc.end({ prettyPrint: true });
}
