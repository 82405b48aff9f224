/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const worst = (values: number[]): number | null => (values.length ? Math.max(...values) : null);

/** Whole seconds between two instants, or null while the second has not happened. */
export function secondsBetween(from: Date | string, to: Date | string | null): number | null {
  if (!to) return null;
  return Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000);
}
