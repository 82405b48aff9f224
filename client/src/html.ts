// The one place the client turns markup into DOM. Everything else builds markup with `html`, which
// escapes every interpolated value unless it is itself an `html` result, so a name from an imported
// file can never become markup. ESLint (no-unsanitized) refuses innerHTML anywhere but here.

const KEY = Symbol('html');

/** Markup that is safe to insert. Only `html` makes one (the key is private to this module). */
export class SafeHtml {
  constructor(key: symbol, private readonly markup: string) {
    if (key !== KEY) throw new Error('SafeHtml is made by html``, not by hand');
  }

  toString(): string {
    return this.markup;
  }
}

/** Text made safe to put into HTML, in element content and in quoted attributes alike. */
export const esc = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What may be interpolated: text, numbers and booleans (escaped), safe markup, lists of them; null/undefined show nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const piece = (v: HtmlValue): string =>
  v instanceof SafeHtml ? v.toString()
    : Array.isArray(v) ? v.map(piece).join('')
      : v === null || v === undefined ? '' : esc(String(v));

/** html`<b>${name}</b>`: every value escaped unless it is SafeHtml; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(KEY, strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), ''));
}

/** Replaces the element's content with the markup; the only innerHTML in the client. */
export function render(el: Element, content: SafeHtml): void {
  // eslint-disable-next-line no-unsanitized/property -- SafeHtml is escaped by construction (html``)
  el.innerHTML = content.toString();
}

/** A small element holding plain text, for Leaflet tooltips and popups (their strings are HTML). */
export function textElement(text: string, tag = 'span'): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}
