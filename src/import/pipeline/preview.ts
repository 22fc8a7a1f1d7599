/** A dry run's preview: rows as they would be stored, and what cleanup changed in them. */
import type { LeadFieldValues } from '../../leads/lead-fields';
import { ColumnMapping, toRawLead } from '../mapping/column-mapping';
import type { LeadDraft } from './lead-batch';

/** Rows a dry run shows as they would be stored. */
export const PREVIEW_ROWS = 10;

/** A value cleanup changed: `to` is null when cleanup emptied it. */
export interface CleanupChange {
  field: string;
  from: string;
  to: string | null;
}

export interface PreviewRow {
  row: number;
  line: number;
  fields: LeadFieldValues;
  customFields: Record<string, string>;
  changes: CleanupChange[];
}

/** A cleaned draft (still holding its source row) as the preview shows it. */
export function previewRow(draft: LeadDraft, columns: ColumnMapping): PreviewRow {
  const lead = draft.lead!;
  const raw = toRawLead(draft.source!.values, columns);
  const customFields = Object.create(null) as Record<string, string>;
  for (const [name, value] of lead.custom) customFields[name] = value;
  const changes: CleanupChange[] = [];
  for (const [field, written] of Object.entries(raw.fields)) {
    if (field === 'fullName' || written.trim() === '') continue;
    const stored = lead.fields[field as keyof LeadFieldValues] ?? null;
    if (stored !== written) changes.push({ field, from: written, to: stored });
  }
  for (const [name, written] of raw.custom) {
    if (written.trim() === '') continue;
    const stored = customFields[name] ?? null;
    if (stored !== written) changes.push({ field: `custom:${name}`, from: written, to: stored });
  }
  return { row: draft.row, line: draft.line, fields: lead.fields, customFields, changes };
}
