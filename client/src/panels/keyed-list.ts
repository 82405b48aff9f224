import { render, type SafeHtml } from '../html.js';

export interface KeyedRow {
  key: string;
  markup: SafeHtml;
  /** Sets the row element's own attributes (called when it is made or its markup changed). */
  init: (el: HTMLElement) => void;
}

/**
 * Puts rows into a list by key: a row whose markup did not change keeps its element (and the focus in
 * it), changed rows are rendered again, rows no longer there are removed, and the order is fixed with as
 * few moves as possible. Live panels re-render often; a commander tabbing through them must not lose
 * their place.
 */
export class KeyedList {
  private readonly rows = new Map<string, { el: HTMLElement; sig: string }>();

  constructor(private readonly parent: HTMLElement, private readonly tag = 'li') {}

  update(items: KeyedRow[]): void {
    const keep = new Set(items.map((i) => i.key));
    for (const [key, row] of this.rows) {
      if (!keep.has(key)) {
        row.el.remove();
        this.rows.delete(key);
      }
    }
    items.forEach((item, i) => {
      const sig = item.markup.toString();
      let row = this.rows.get(item.key);
      if (!row || row.sig !== sig) {
        const el = row?.el ?? document.createElement(this.tag);
        render(el, item.markup);
        item.init(el);
        row = { el, sig };
        this.rows.set(item.key, row);
      }
      const at = this.parent.children[i];
      if (at !== row.el) this.parent.insertBefore(row.el, at ?? null);
    });
  }

  get(key: string): HTMLElement | undefined {
    return this.rows.get(key)?.el;
  }
}
