/** The quality step of the pipeline, after cleaning: flags, rejections the import asked for, typo warnings. */
import { emailQuality } from '../../leads/quality/email-quality';
import type { LeadBatch } from './lead-batch';

export const ROLE_ADDRESS = 'Role-based email address';
export const DISPOSABLE_ADDRESS = 'Disposable email address';

export interface ScreeningOptions {
  rejectRoleAddresses: boolean;
  rejectDisposable: boolean;
}

/** Flags each cleaned draft; a rejected one moves to `failed` with its row's cells, like any other row error. */
export function screenBatch(batch: LeadBatch, options: ScreeningOptions): void {
  const drafts = [];
  for (const draft of batch.drafts) {
    if (draft.lead) {
      const quality = emailQuality(draft.identity);
      const error =
        options.rejectRoleAddresses && quality.flags.includes('role')
          ? ROLE_ADDRESS
          : options.rejectDisposable && quality.flags.includes('disposable')
            ? DISPOSABLE_ADDRESS
            : undefined;
      if (error) {
        const email = draft.lead.fields.email ?? draft.identity;
        batch.failed.push({ row: draft.row, line: draft.line, email, error, cells: draft.source?.cells });
        continue;
      }
      draft.flags = quality.flags;
      if (quality.suggestion) draft.warning = `Possible typo: did you mean ${quality.suggestion}?`;
    }
    drafts.push(draft);
  }
  batch.drafts = drafts;
}

/** Removes the drafts of these identities (looked up before cleaning) and counts them. */
export function dropSuppressed(batch: LeadBatch, suppressed: Set<string>): void {
  if (suppressed.size === 0) return;
  const before = batch.drafts.length;
  batch.drafts = batch.drafts.filter((draft) => !suppressed.has(draft.identity));
  batch.suppressed += before - batch.drafts.length;
}
