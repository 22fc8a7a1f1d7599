import { findHeaderRow, TopRecord } from './header-row';

/** Records as the reader gives them: one per non-blank record, numbered by the line where it starts. */
function records(...rows: string[][]): TopRecord[] {
  let line = 1;
  return rows.map((cells) => {
    const record = { cells, line };
    line += cells.join(',').split('\n').length; // a quoted cell may span lines
    return record;
  });
}

describe('findHeaderRow', () => {
  it("finds LinkedIn Connections' header below its Notes paragraph", () => {
    const top = records(
      ['Notes:'],
      [
        'When exporting your connection data, you may notice that some of the email addresses are missing.\nYou will ' +
          'only see email addresses for connections who have allowed their connections to see or download it.',
      ],
      ['First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', 'Connected On'],
      ['Jane', 'Doe', 'https://www.linkedin.com/in/jane-doe', 'jane@example.com', 'Acme', 'CTO', '01 Mar 2024'],
      ['Max', 'Mustermann', 'https://www.linkedin.com/in/max', '', 'Beispiel GmbH', 'CEO', '02 Mar 2024'],
    );
    expect(findHeaderRow(top)).toBe(2);
    expect(top[2].line).toBe(4);
  });

  it('skips report title lines, a date line and a blank-padded title', () => {
    const top = records(
      ['Contacts report', '', '', ''],
      ['Generated on', '2024-05-01', '', ''],
      ['Exported by Sales Ops', '', '', ''],
      ['Email', 'First Name', 'Last Name', 'Company'],
      ['a@example.com', 'Ann', 'Lee', 'Acme'],
      ['b@example.com', 'Bo', 'Ek', ''],
    );
    expect(findHeaderRow(top)).toBe(3);
  });

  it('keeps the first record of a plain file, also when its names are unknown ones', () => {
    expect(findHeaderRow(records(['Email', 'Name'], ['a@example.com', 'Ann']))).toBe(0);
    expect(findHeaderRow(records(['E', 'Vorgang', 'Kunde'], ['a@example.com', 'Web', 'Mobile']))).toBe(0);
    expect(findHeaderRow(records(['email'], ['a@example.com']))).toBe(0);
    expect(findHeaderRow(records(['Email', 'First Name']))).toBe(0);
  });

  it('keeps the first record when a data row below happens to hold field names', () => {
    const top = records(
      ['Contact', 'Source', 'Kind'],
      ['ann@example.com', 'Web', 'Mobile'],
      ['Company', 'Phone', 'Notes'],
      ['bo@example.com', 'Fair', 'Landline'],
    );
    // "Contact, Source, Kind" names no lead field, but the row below it is a lead: the table starts at the top.
    expect(findHeaderRow(top)).toBe(0);
  });

  it('does not take numeric, repeated or long cells for a header', () => {
    expect(findHeaderRow(records(['1', '2', 'Email', 'Phone'], ['Email', 'Phone'], ['a@example.com', '1']))).toBe(1);
    expect(findHeaderRow(records(['Email', 'Email'], ['Email', 'Phone'], ['a@example.com', '1']))).toBe(1);
  });

  it('wants the records below to fit within the header', () => {
    // A report's own block ("Company, Country" of the account it was run for) above the table.
    const top = records(
      ['Company', 'Country'],
      ['Acme Inc.', 'Germany'],
      ['Email', 'First Name', 'Last Name', 'Company', 'City'],
      ['c@example.com', 'Cy', 'Ng', 'Acme', 'Berlin'],
      ['d@example.com', 'Di', 'Ho', 'Acme', 'Bonn'],
      ['e@example.com', 'Ed', 'Li', 'Acme', 'Köln'],
    );
    expect(findHeaderRow(top)).toBe(2);
  });

  it('looks at the first 20 records only', () => {
    const preamble = Array.from({ length: 20 }, (_, i) => [`Line ${i}`]);
    expect(findHeaderRow(records(...preamble, ['Email', 'First Name'], ['a@example.com', 'Ann']))).toBe(0);
  });
});
