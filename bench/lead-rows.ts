import { newId } from '../src/common/object-id';
import { LEAD_FIELDS } from '../src/leads/lead-fields';
import type { CleanedLead } from './floors';

/**
 * The write floors' rows, shaped by the `leads` table as the migrations left it in the bench database (not by the
 * app's repository), so the bench follows the schema without reaching into the app's internals.
 */

/** A column of `leads` as the database describes it. */
export interface TableColumn {
  name: string;
  /** NOT NULL without a default: the floor must write it. */
  required: boolean;
}

/** One row's values in the order of `LeadRows.columns`. */
export type LeadValues = Array<string | null>;

export interface LeadRows {
  columns: string[];
  rows: LeadValues[];
}

type ValueOf = (lead: CleanedLead, workspaceId: string, now: string) => string | null;

const FIXED: Record<string, ValueOf> = {
  id: () => newId(),
  workspace_id: (_lead, workspaceId) => workspaceId,
  email: (lead) => lead.email,
  email_key: (lead) => lead.identity,
  custom_fields: (lead) => lead.customJson,
  created_at: (_lead, _workspaceId, now) => now,
  updated_at: (_lead, _workspaceId, now) => now,
};

/** `firstName` → `first_name`, the migrations' naming of the lead fields. */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Every lead as a row of `table`: the fixed columns, one column per lead field (email aside), and nothing for other
 * columns that may be left out. Throws if a lead field has no column or a column must be written that the bench does
 * not know: the floor would no longer write what an import writes.
 */
export function leadRows(table: TableColumn[], leads: CleanedLead[], workspaceId: string): LeadRows {
  const names = new Set(table.map((column) => column.name));
  const valueOf = new Map<string, ValueOf>(Object.entries(FIXED));
  for (const field of LEAD_FIELDS) {
    if (field === 'email') continue;
    const column = columnOf(field);
    if (!names.has(column)) throw new Error(`The leads table has no column ${column} for the lead field ${field}`);
    valueOf.set(column, (lead) => lead.fields[field] ?? null);
  }
  for (const name of valueOf.keys()) {
    if (!names.has(name)) throw new Error(`The leads table has no column ${name}`);
  }
  const unknown = table.filter((column) => column.required && !valueOf.has(column.name));
  if (unknown.length > 0) {
    throw new Error(`The bench does not know what to write into leads.${unknown.map((c) => c.name).join(', ')}`);
  }

  const columns = table.map((column) => column.name).filter((name) => valueOf.has(name));
  const getters = columns.map((name) => valueOf.get(name)!);
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const rows = leads.map((lead) => getters.map((get) => get(lead, workspaceId, now)));
  return { columns, rows };
}
