import { toCsv } from './import';

/** An import as `GET /v1/leads/imports/:id` shows it: status and counts. */
export interface ImportCounts {
  status: string;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  totalRows: number;
}

/** A generated file with what an import of it must give (in a workspace that has none of its emails). */
export interface GeneratedFile {
  csv: string;
  rows: number;
  /** Distinct valid emails, lower-case. */
  emails: Set<string>;
  invalid: number;
  repeats: number;
}

/**
 * Rows `from` … `from + rows - 1`: `lead<i>@<domain>`, except an invalid email every 100th row and a repeat of the
 * row before every 50th. Files of overlapping ranges share emails.
 */
export function generatedFile(from: number, rows: number, domain: string): GeneratedFile {
  const emails = new Set<string>();
  let invalid = 0;
  let repeats = 0;
  const body = Array.from({ length: rows }, (_, offset) => {
    const i = from + offset;
    let email = `lead${i}@${domain}`;
    if (i % 100 === 37) {
      email = `not-an-email-${i}`;
      invalid++;
    } else if (i % 50 === 11 && offset > 0 && (i - 1) % 100 !== 37) {
      email = `LEAD${i - 1}@${domain}`;
      repeats++;
    } else {
      emails.add(email);
    }
    return [email, `First${i}`, `Last${i}`, `Company ${i % 97}`, 'Software'];
  });
  return {
    csv: toCsv([['Email', 'First Name', 'Last Name', 'Company', 'Industry'], ...body]),
    rows,
    emails,
    invalid,
    repeats,
  };
}
