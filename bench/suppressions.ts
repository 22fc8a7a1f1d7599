import { BenchFile } from './files';
import { csvBlob, describeError } from './http';

/** Entries on the suppression list of the "100k suppressions" scenario's workspaces. */
export const SUPPRESSION_ENTRIES = 100_000;
/** Rows per uploaded CSV: the server reads at most IMPORT_MAX_ROWS (50,000) rows a file. */
const ROWS_PER_FILE = 25_000;
/** Every this-many-th distinct lead of the file has its email on the list. */
const EMAIL_MATCH_EVERY = 16;
/** Every this-many-th company domain of the file (one with few leads: no free mail provider) is on the list. */
const DOMAIN_MATCH_EVERY = 100;
const MAX_LEADS_PER_MATCHED_DOMAIN = 5;
/** Domains the file never uses. */
const OTHER_DOMAINS = 2_000;

/** A suppression list built from the file, with what an import of the file into its workspace must skip. */
export interface SuppressionList {
  /** CSV uploads of one `email` column (emails, then domains: a cell without `@` is a domain). */
  files: Blob[];
  entries: number;
  matchingEmails: number;
  matchingDomains: number;
  /** Distinct leads of the file that the list suppresses (by email or domain): `skippedReasons.suppressed`. */
  suppressedLeads: number;
}

/**
 * 100,000 entries: every 16th distinct lead's email (a third of them in upper case, which must match all the
 * same), every 100th company domain of the file that has at most 5 leads, 2,000 domains and the rest emails the file
 * never uses. Deterministic, as the file is.
 */
export function buildSuppressionList(file: BenchFile): SuppressionList {
  const leads = file.cleaned.leads;
  const domainOf = (identity: string) => identity.slice(identity.lastIndexOf('@') + 1);
  const emails: string[] = [];
  const emailSet = new Set<string>();
  leads.forEach((lead, index) => {
    if (index % EMAIL_MATCH_EVERY !== 0) return;
    emailSet.add(lead.identity);
    emails.push(emails.length % 3 === 0 ? lead.identity.toUpperCase() : lead.identity);
  });

  const perDomain = new Map<string, number>();
  for (const lead of leads) perDomain.set(domainOf(lead.identity), (perDomain.get(domainOf(lead.identity)) ?? 0) + 1);
  const domainSet = new Set(
    [...perDomain]
      .filter(([, count]) => count <= MAX_LEADS_PER_MATCHED_DOMAIN)
      .filter((_entry, index) => index % DOMAIN_MATCH_EVERY === 0)
      .map(([domain]) => domain),
  );
  const domains = [...domainSet];
  for (let i = 0; domains.length < domainSet.size + OTHER_DOMAINS; i++) domains.push(`blocked-${i}.example.net`);

  const fillers = SUPPRESSION_ENTRIES - emails.length - domains.length;
  for (let i = 0; i < fillers; i++) emails.push(`contact${i}@list${i % 1000}.example.org`);

  const suppressedLeads = leads.filter(
    (lead) => emailSet.has(lead.identity) || domainSet.has(domainOf(lead.identity)),
  ).length;
  const cells = [...emails, ...domains];
  const files: Blob[] = [];
  for (let i = 0; i < cells.length; i += ROWS_PER_FILE) {
    files.push(csvBlob(Buffer.from(`email\r\n${cells.slice(i, i + ROWS_PER_FILE).join('\r\n')}\r\n`)));
  }
  return {
    files,
    entries: cells.length,
    matchingEmails: emailSet.size,
    matchingDomains: domainSet.size,
    suppressedLeads,
  };
}

/** Uploads the list to `POST /v1/suppressions/import/csv`, file by file; throws unless every entry was added. */
export async function loadSuppressions(baseUrl: string, apiKey: string, list: SuppressionList): Promise<void> {
  let added = 0;
  for (const [index, file] of list.files.entries()) {
    const form = new FormData();
    form.append('file', file, `suppressions-${index + 1}.csv`);
    form.append('reason', 'manual');
    let text: string;
    let status: number;
    try {
      const response = await fetch(`${baseUrl}/v1/suppressions/import/csv`, {
        method: 'POST',
        headers: { 'X-Api-Key': apiKey },
        body: form,
        signal: AbortSignal.timeout(180_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new Error(`suppression upload failed (${describeError(error)})`);
    }
    const body = JSON.parse(text) as { success?: boolean; data?: { added?: number; invalid?: number } };
    if (status !== 200 || body.success !== true || body.data?.invalid !== 0) {
      throw new Error(`suppression upload answered ${status}: ${text.slice(0, 200)}`);
    }
    added += body.data.added ?? 0;
  }
  if (added !== list.entries) throw new Error(`the suppression list took ${added} of ${list.entries} entries`);
}
