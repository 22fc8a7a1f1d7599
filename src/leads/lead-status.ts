/** What a lead may receive: only `active` leads are mailed, and no import ever changes a status. */
export const LEAD_STATUSES = ['active', 'unsubscribed', 'bounced', 'complained', 'do_not_contact'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Quality flags an address can carry (see quality/email-quality.ts). */
export const LEAD_FLAGS = ['role', 'disposable', 'free'] as const;
export type LeadFlag = (typeof LEAD_FLAGS)[number];

/** Stored as `role,free`: the names never contain one another, so a LIKE on one name finds exactly it. */
export function flagsToColumn(flags: readonly LeadFlag[]): string {
  return flags.join(',');
}

export function flagsFromColumn(column: string | null | undefined): LeadFlag[] {
  return column ? (column.split(',') as LeadFlag[]) : [];
}
