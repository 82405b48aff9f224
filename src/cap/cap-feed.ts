import { createXml } from './xml-create.js';
import type { CapSettings } from './cap-alert.js';
import type { CapAlert } from './cap-types.js';
import { forXmlWriter as x } from './cap-text.js';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

export interface FeedEntry {
  eventId: string;
  eventType: string;
  alert: CapAlert;
}

/** Where an event's CAP message can be fetched. */
export const capAlertUrl = (publicUrl: string, eventId: string) => `${publicUrl}/api/alerts/${eventId}/cap`;

/**
 * An Atom feed (RFC 4287) of CAP messages, newest first, the way warning platforms poll them: each
 * entry is a summary and a link to the full CAP document. `now` is the feed's `updated` when empty.
 */
export function renderCapFeed(settings: CapSettings, entries: FeedEntry[], now: string): string {
  const doc = createXml({ version: '1.0', encoding: 'UTF-8' });
  const feed = doc.ele(ATOM_NAMESPACE, 'feed').att('xml:lang', 'zh-CN');
  const el = (name: string, text: string, parent = feed) => parent.ele(ATOM_NAMESPACE, name).txt(x(text)).up();
  el('id', `urn:pingji:${settings.sender}:cap-feed`);
  el('title', `${settings.senderName}：CAP 预警信息 (CAP alerts)`);
  el('updated', entries[0]?.alert.sent ?? now);
  const author = feed.ele(ATOM_NAMESPACE, 'author');
  el('name', settings.senderName, author);
  feed.ele(ATOM_NAMESPACE, 'link').att({ rel: 'self', type: 'application/atom+xml', href: x(`${settings.publicUrl}/api/cap/feed`) });
  feed.ele(ATOM_NAMESPACE, 'link').att({ rel: 'alternate', type: 'text/html', href: x(`${settings.publicUrl}/`) });
  for (const { eventId, eventType, alert } of entries) {
    const [zh, en] = alert.info;
    const entry = feed.ele(ATOM_NAMESPACE, 'entry');
    el('id', alert.identifier, entry);
    el('title', zh.headline, entry);
    el('updated', alert.sent, entry);
    el('published', alert.sent, entry);
    el('summary', en ? `${en.headline} (${alert.status}, ${alert.msgType}, ${zh.severity})` : zh.headline, entry);
    entry.ele(ATOM_NAMESPACE, 'category').att({ term: x(eventType), label: x(zh.event) });
    entry.ele(ATOM_NAMESPACE, 'link').att({ rel: 'alternate', type: 'application/cap+xml', href: x(capAlertUrl(settings.publicUrl, eventId)) });
  }
  return doc.end({ prettyPrint: true });
}
