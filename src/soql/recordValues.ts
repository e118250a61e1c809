/** Date-time fields as the REST API writes them: milliseconds and a `+0000` zone (`2026-12-07T04:00:00.000+0000`). */
export const restDateTime = (iso: string | Date | undefined | null): string | null => {
  if (!iso) return null;
  const text = typeof iso === 'string' ? new Date(iso).toISOString() : iso.toISOString();
  return text.replace('Z', '+0000');
};

/** A nested row for a relationship field (`CreatedBy.Username`): its type rides along for `attributes`. */
export const related = (type: string, row: Record<string, unknown> | undefined): Record<string, unknown> | null =>
  row ? { attributes: { type }, ...row } : null;
