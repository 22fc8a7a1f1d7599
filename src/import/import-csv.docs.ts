/** The Swagger description of `POST /v1/leads/import/csv`: what a client needs to know to send a file. */
export const IMPORT_CSV_DESCRIPTION = [
  "Upload a CSV file (`multipart/form-data`, field `file`) to bulk import leads into the key's workspace. The " +
    'answer accounts for every data row: `imported + updated + skipped + failed = csvInfo.totalRows`; each ' +
    'failed row is in `errors` as `{row, line, email, error}` (`row` counts data rows from 1, `line` is the ' +
    'file line). The report is also kept: `GET /v1/leads/imports/{id}`.',
  '',
  '**Limits**: at most 50 MB (else 413), 50,000 data rows, 20,000 columns in any row and 256 KB of header ' +
    'names (else 400, nothing written); a value over 1 MB or a row over 4 MB fails that row, and so does an ' +
    'update that would give the lead more than 4 MB of custom fields. Rows are written in ' +
    'batches of 1,000, each one transaction, up to 3 at once (one at a time on SQLite). If the database fails ' +
    'midway, written batches stay; send the same file again to finish without duplicates.',
  '',
  '**Reading**: UTF-8 (BOM removed), UTF-16 (Excel "Unicode Text") or Windows-1252; delimiter `,` `;` tab or ' +
    '`|` (detected; an Excel `sep=;` line is obeyed); LF, CRLF or CR line ends; RFC 4180 quotes. The header is ' +
    'the first of the first 20 non-blank records that names lead fields (a title or notes above it are skipped; ' +
    'with none, the first record); a repeated header is renamed `Email (2)` and listed in `csvInfo.renamedColumns`. ' +
    'Blank rows are not counted. Spreadsheets (.xlsx, .xls) and other binary files are refused: export as CSV.',
  '',
  '**Mapping** columns to the lead fields `email, firstName, lastName, companyName, jobTitle, phone, ' +
    'linkedinUrl, website, city, state, country, timezone, notes` (and `fullName`, split into first and last):',
  '1. The `mapping` field wins for the columns it names: a JSON object of CSV header → lead field, `"skip"`, or ' +
    '`"custom:<Name>"`, e.g. `{"E-mail": "email", "Org": "companyName", "Source": "skip"}`. Keys that name no ' +
    'column are listed in `csvInfo.unusedMapping`.',
  '2. Other columns are auto-detected by header, ignoring case, spaces and punctuation, with the spellings of ' +
    'Apollo, LinkedIn, HubSpot, Salesforce, Google Contacts, Outlook and other exports ("E-mail Address", ' +
    '"Work Email", "Person Linkedin Url", "Job Title"…). Company columns (`Company City`…) never fill the ' +
    "person's fields; one column per field, the best match.",
  '3. Every other column becomes a custom field `custom:<Header>`, registered in the workspace.',
  '4. No column ends as `email` → 400. `csvInfo.mapping` shows the final decision for every column.',
  '',
  '**Cleanup** (`dataCleanup`, default true): emails trimmed, lower-cased, `mailto:` and `Name <…>` removed, ' +
    'then validated (`Email is required` / `Invalid email format` fail the row: nothing else does, apart from ' +
    "a value over its length limit); phones to E.164 with the row's country as default region; LinkedIn URLs " +
    'to `https://www.linkedin.com/in/<slug>`; websites to `https://host/path`; names trimmed, symbols and ' +
    'digits removed, ALL-CAPS to Title Case; other text trimmed with control and zero-width characters ' +
    'removed (notes keep line breaks). With `false` values are stored as given, but the email must be valid.',
  '',
  '**Duplicates**: a lead is its email (trimmed, lower-cased) per workspace. A repeat inside the file is ' +
    '`skipped`. An email the workspace has: `skipDuplicates=true` (default) skips it untouched; `false` ' +
    'updates it: non-empty cells overwrite, empty cells never erase, custom fields merge. `tag` is linked to ' +
    'every imported and updated lead.',
  '',
  '**Async** (`async=true` or the header `Prefer: respond-async`): answers 202 `{importId, status: "queued", ' +
    'statusUrl}` with a `Location` header once the file is stored in the database, and any replica imports it. ' +
    'The checks that need no row (file, size, key, form fields, mapping JSON) still answer 4xx at once; the ' +
    'others (empty file, too many rows, no email column, not a CSV…) end the import `failed` with the same ' +
    '`errorCode` and message (`failureReason`). Poll `GET /v1/leads/imports/{id}` for `status` (`queued`, ' +
    '`processing`, `completed`, `failed`, `interrupted`) and `progress: {rowsDone, totalRows}`.',
  '',
  '**Webhook** (`webhookUrl`): when the import ends, its report (counts, status, csvInfo; the row lists stay ' +
    "at `GET /v1/leads/imports/{id}`) is POSTed there as JSON, signed with the workspace's webhook secret in " +
    '`X-Leadport-Signature: sha256=<hex HMAC-SHA256 of the body>`, and retried with backoff for 24 h until the ' +
    'receiver answers 2xx. The import never fails because its webhook does. See docs/webhooks.md.',
  '',
  'Booleans accept true/false, 1/0, yes/no. Any other form field is a 400 that names it.',
  '',
  '**Retries**: send an `Idempotency-Key` header (e.g. a UUID) to make a retry safe. The same key in the same ' +
    "workspace within 24 hours answers the first request's result (same status and body, with " +
    '`Idempotent-Replayed: true`) without importing again; with another file or other options it is a 422; while ' +
    'the first request still runs, a 409 with Retry-After. A first request that failed on our side (5xx) frees ' +
    'its key for a retry.',
].join('\n');

/** The column limit's 400, as the lead and suppression imports answer it. */
export const TOO_MANY_COLUMNS_EXAMPLE =
  'Line 1 has 5,242,881 columns; a CSV file may have at most 20,000. Delete the empty or unused columns (in a ' +
  'spreadsheet: the columns right of your data) and upload the file again.';
