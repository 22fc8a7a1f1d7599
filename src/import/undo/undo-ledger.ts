/** What an import's update replaces in a stored lead: the values its undo puts back. */
import { FIELD_COLUMNS, LeadRow } from '../../leads/leads.repository';
import type { StoredLead } from '../../leads/lead-snapshots.repository';
import type { PreviousValues } from '../history/import-batch.entity';

/** A ledger line: one lead an import updated. */
export interface LedgerEntry {
  leadId: string;
  previous: PreviousValues;
  hadTag: boolean;
}

/**
 * The stored values an update of `stored` with `row` replaces, as the update merges (see LeadsRepository.update): the
 * email takes the file's spelling, a non-empty value overwrites, custom fields merge key by key.
 */
export function replacedValues(stored: StoredLead, row: LeadRow): PreviousValues {
  const previous: PreviousValues = { columns: {}, customFields: {} };
  if (row.email !== stored.columns.email) previous.columns.email = stored.columns.email;
  for (const [field, column] of FIELD_COLUMNS) {
    const incoming = row.fields[field];
    if (incoming != null && incoming !== stored.columns[column]) previous.columns[column] = stored.columns[column];
  }
  for (const [name, value] of Object.entries(row.customFields)) {
    const before = Object.hasOwn(stored.customFields, name) ? stored.customFields[name] : null;
    if (before !== value) previous.customFields[name] = before;
  }
  return previous;
}

export function replacesNothing(previous: PreviousValues): boolean {
  return Object.keys(previous.columns).length === 0 && Object.keys(previous.customFields).length === 0;
}

/** The lead with the replaced values put back: columns as they were, custom fields a ledger names restored or removed. */
export function restored(
  current: StoredLead,
  previous: PreviousValues,
): Pick<StoredLead, 'id' | 'columns' | 'customFields'> {
  const customFields = { ...current.customFields };
  for (const [name, value] of Object.entries(previous.customFields)) {
    if (value === null) delete customFields[name];
    else customFields[name] = value;
  }
  return { id: current.id, columns: { ...previous.columns }, customFields };
}
