import fc from 'fast-check';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode, ValidationError } from '../../common/app-error';
import type { CsvRow, RenamedHeader } from './column-layout';
import { CsvReader, CsvReadOptions } from './csv-reader';
import { ParsedRecord, parseRecords, TextChunk } from './csv-records';
import { CsvDelimiter, detectDialect } from './csv-sniffer';
import { scanRecords } from './record-scan';

const reader = new CsvReader();

/** A whole file as one table: the reader's rows drained, with the columns csvInfo reports. */
interface CsvTable {
  encoding: string;
  delimiter: CsvDelimiter;
  headers: string[];
  renamedHeaders: RenamedHeader[];
  records: Array<Omit<CsvRow, 'cells'>>;
}

async function readTable(file: Buffer, options?: Partial<CsvReadOptions>): Promise<CsvTable> {
  const opened = await reader.open(file, options);
  const rows: CsvRow[] = [];
  for await (const chunk of opened.rows()) rows.push(...chunk);
  const { columns, renamedColumns } = opened.reportedColumns();
  const kept = columns.map((column) => opened.headers.indexOf(column));
  return {
    encoding: opened.reading.encoding,
    delimiter: opened.reading.delimiter,
    headers: columns,
    renamedHeaders: renamedColumns,
    records: rows.map(({ cells: _cells, ...row }) => ({ ...row, values: kept.map((column) => row.values[column]) })),
  };
}

function read(text: string | Buffer, options?: Partial<CsvReadOptions>): Promise<CsvTable> {
  return readTable(typeof text === 'string' ? Buffer.from(text) : text, options);
}

async function rejection(text: string | Buffer, options?: Partial<CsvReadOptions>): Promise<ValidationError> {
  const error: unknown = await read(text, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe(ErrorCode.VALIDATION_ERROR);
  return error as ValidationError;
}

/** The table, or the ValidationError's message; anything else thrown fails the test. */
async function outcome(file: Buffer, options?: Partial<CsvReadOptions>): Promise<CsvTable | string> {
  try {
    return await readTable(file, options);
  } catch (error) {
    if (error instanceof ValidationError) return `ValidationError: ${error.message}`;
    throw error;
  }
}

function valuesOf(table: CsvTable): string[][] {
  return table.records.map((record) => record.values);
}

function linesOf(table: CsvTable): number[] {
  return table.records.map((record) => record.line);
}

function errorsOf(table: CsvTable): (string | undefined)[] {
  return table.records.map((record) => record.error);
}

function leadRows(count: number, notes = 'note'): string {
  let text = 'email,name,notes\n';
  for (let i = 1; i <= count; i++) text += `user${i}@example.com,User ${i},${notes}\n`;
  return text;
}

describe('CsvReader', () => {
  describe('encodings', () => {
    const text = 'Name\tCity\tNote\r\nJosé\tZürich\t“quoted” – €5\r\n';
    const values = [['José', 'Zürich', '“quoted” – €5']];

    it('reads UTF-8 without a BOM', async () => {
      const table = await read(text);
      expect(table.encoding).toBe('utf-8');
      expect(valuesOf(table)).toEqual(values);
    });

    it('strips a UTF-8 BOM from the first header', async () => {
      const table = await read(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,name\na@b.co,Ann\n')]),
      );
      expect(table.encoding).toBe('utf-8');
      expect(table.headers).toEqual(['email', 'name']);
    });

    it.each(['utf-16le', 'utf-16be'] as const)('reads %s with a BOM (Excel "Unicode Text")', async (encoding) => {
      const table = await read(iconv.encode(text, encoding, { addBOM: true }));
      expect(table).toMatchObject({ encoding, delimiter: '\t', headers: ['Name', 'City', 'Note'] });
      expect(valuesOf(table)).toEqual(values);
    });

    it.each(['utf-16le', 'utf-16be'] as const)('recognises %s without a BOM by its NUL bytes', async (encoding) => {
      const table = await read(iconv.encode(text, encoding));
      expect(table.encoding).toBe(encoding);
      expect(valuesOf(table)).toEqual(values);
    });

    it('falls back to Windows-1252 when the bytes are not UTF-8', async () => {
      const file = iconv.encode(text, 'windows-1252');
      expect(isUtf8(file)).toBe(false);
      const table = await read(file);
      expect(table.encoding).toBe('windows-1252');
      expect(valuesOf(table)).toEqual(values);
    });

    it('leaves the caller’s buffer untouched although csv-parser unescapes "" in place', async () => {
      const file = Buffer.from('a,b\n"x ""y"" z","1"\n');
      const copy = Buffer.from(file);
      expect(valuesOf(await read(file))).toEqual([['x "y" z', '1']]);
      expect(file.equals(copy)).toBe(true);
    });
  });

  describe('delimiters', () => {
    it.each([',', ';', '\t', '|'] as const)('detects %j from the header line', async (delimiter) => {
      const table = await read(['a', 'b', 'c'].join(delimiter) + '\n' + ['1', '2', '3'].join(delimiter) + '\n');
      expect(table.delimiter).toBe(delimiter);
      expect(table.headers).toEqual(['a', 'b', 'c']);
      expect(valuesOf(table)).toEqual([['1', '2', '3']]);
    });

    it('counts only delimiters outside quotes', async () => {
      expect((await read('"a;b;c",d\n1,2\n')).delimiter).toBe(',');
      expect((await read('"x,y,z";b\n1;2\n')).delimiter).toBe(';');
    });

    it('takes the most frequent candidate, breaking ties in the order , ; tab |', async () => {
      expect((await read('a;b;c,d\n1;2;3,4\n')).delimiter).toBe(';');
      expect((await read('a,b;c\n1,2;3\n')).delimiter).toBe(',');
      expect((await read('a|b;c\n1|2;3\n')).delimiter).toBe(';');
    });

    it('reads a header without any candidate as a single column', async () => {
      const table = await read('email\na@b.co;x|y\n');
      expect(table).toMatchObject({ delimiter: ',', headers: ['email'] });
      expect(valuesOf(table)).toEqual([['a@b.co;x|y']]);
    });

    it('looks past blank lines and delimiter-only lines to the header', async () => {
      const table = await read('\n;;;\nname;email\nAnn;a@b.co\n');
      expect(table).toMatchObject({ delimiter: ';', headers: ['name', 'email'] });
    });

    it('honours and skips an Excel "sep=" first line', async () => {
      const table = await read('sep=|\r\na,b|c\r\n1,2|3\r\n');
      expect(table).toMatchObject({ delimiter: '|', headers: ['a,b', 'c'] });
      expect(valuesOf(table)).toEqual([['1,2', '3']]);
      expect(linesOf(table)).toEqual([3]);
    });
  });

  describe('line ends', () => {
    const lines = ['email,name', 'a@b.co,Ann', 'c@d.co,"Bo, Jr."', 'e@f.co,Cy'];

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR (old Mac Excel)', '\r'],
    ])('reads %s files, with or without a final line break, without stray CRs', async (_name, eol) => {
      for (const text of [lines.join(eol) + eol, lines.join(eol)]) {
        const table = await read(text);
        expect(table.headers).toEqual(['email', 'name']);
        expect(valuesOf(table)).toEqual([
          ['a@b.co', 'Ann'],
          ['c@d.co', 'Bo, Jr.'],
          ['e@f.co', 'Cy'],
        ]);
        expect(linesOf(table)).toEqual([2, 3, 4]);
      }
    });

    it('drops a CR left at the very end of the file', async () => {
      expect(valuesOf(await read('a,b\r\n1,2\r'))).toEqual([['1', '2']]);
    });
  });

  describe('quoting', () => {
    it('keeps delimiters, doubled quotes and line breaks inside quoted values as they are', async () => {
      const table = await read('a,b,c\r\n"x,y","say ""hi""","one\ntwo\r\nthree\rfour"\r\n"","""",x\r\n');
      expect(valuesOf(table)).toEqual([
        ['x,y', 'say "hi"', 'one\ntwo\r\nthree\rfour'],
        ['', '"', 'x'],
      ]);
    });

    it('keeps a quoted value that follows a space literally, as csv-parser does', async () => {
      const table = await read('a,b\n1, "b"\n');
      expect(table.records).toEqual([{ row: 1, line: 2, values: ['1', ' "b"'] }]);
    });
  });

  describe('csv-spectrum', () => {
    const root = dirname(require.resolve('csv-spectrum/package.json'));
    const names = readdirSync(join(root, 'csvs')).map((file) => file.replace(/\.csv$/, ''));

    it.each(names.filter((name) => name !== 'location_coordinates'))('reads %s as expected', async (name) => {
      const table = await read(readFileSync(join(root, 'csvs', `${name}.csv`)));
      const expected = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8')) as Record<string, string>[];
      const objects = table.records.map((record) =>
        Object.fromEntries(table.headers.map((header, index) => [header, record.values[index]])),
      );
      expect(objects).toEqual(expected);
      expect(errorsOf(table).filter(Boolean)).toEqual([]);
    });

    // Its bare quotes (37°36'37.8"N) make csv-parser merge the rest of the line into one cell, and its JSON has a
    // different phone number than its CSV; the reader reports the row rather than pass on a corrupted one.
    it('reports location_coordinates, whose unquoted value holds quotes, as a malformed row', async () => {
      const table = await read(readFileSync(join(root, 'csvs', 'location_coordinates.csv')));
      expect(table.headers).toEqual(['Contact Phone Number', 'Location Coordinates', 'Cities', 'Counties']);
      expect(table.records).toHaveLength(1);
      expect(table.records[0].error).toMatch(/^Misplaced quote in the record starting at line 2 /);
      expect(table.records[0].values[0]).toBe('2095257564');
    });
  });

  describe('headers', () => {
    it('trims header names but never values', async () => {
      const table = await read('  Email ,  Name \n a@b.co , Ann \n');
      expect(table.headers).toEqual(['Email', 'Name']);
      expect(valuesOf(table)).toEqual([[' a@b.co ', ' Ann ']]);
    });

    it('keeps __proto__, constructor and friends as plain column names', async () => {
      const before = Object.getOwnPropertyNames(Object.prototype);
      const table = await read('__proto__,constructor,prototype,hasOwnProperty,toString\n1,2,3,4,5\n');
      expect(table.headers).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
      expect(valuesOf(table)).toEqual([['1', '2', '3', '4', '5']]);
      expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(before);
      expect(({} as Record<string, unknown>)['1']).toBeUndefined();
    });

    it('renames repeated headers (case-insensitive) without clashing with existing names, and reports it', async () => {
      const table = await read('Email,email,EMAIL ,Name,Email (2)\n1,2,3,4,5\n');
      expect(table.headers).toEqual(['Email', 'email (3)', 'EMAIL (4)', 'Name', 'Email (2)']);
      expect(table.renamedHeaders).toEqual([
        { column: 2, original: 'email', renamed: 'email (3)' },
        { column: 3, original: 'EMAIL', renamed: 'EMAIL (4)' },
      ]);
      expect(valuesOf(table)).toEqual([['1', '2', '3', '4', '5']]);
    });

    it('numbers a header repeated 20,000 times from 2 to 20,000, skipping a name the file has', async () => {
      const header = ['email', 'x (3)', ...Array<string>(19_999).fill('x')];
      const table = await read(`${header.join(',')}\na@b.co\n`, { maxColumns: header.length });
      expect(table.headers.slice(0, 5)).toEqual(['email', 'x (3)', 'x', 'x (2)', 'x (4)']);
      expect(table.headers.at(-1)).toBe('x (20000)');
      expect(new Set(table.headers).size).toBe(header.length);
    });

    it('drops blank-header columns without data and names the others "Column N" by file position', async () => {
      const table = await read('Email,,Name,  ,\na@b.co, ,Ann,note,\nc@d.co,,Bo,,\n');
      expect(table.headers).toEqual(['Email', 'Name', 'Column 4']);
      expect(table.renamedHeaders).toEqual([{ column: 4, original: '', renamed: 'Column 4' }]);
      expect(valuesOf(table)).toEqual([
        ['a@b.co', 'Ann', 'note'],
        ['c@d.co', 'Bo', ''],
      ]);
    });

    it('keeps a generated "Column N" unique too', async () => {
      const table = await read('Column 2,\n1,2\n');
      expect(table.headers).toEqual(['Column 2', 'Column 2 (2)']);
    });
  });

  describe('rows', () => {
    it('ignores empty and whitespace-only rows and does not count them', async () => {
      const table = await read('a,b\n\n1,2\n , \n,,\n\t\n""\n3,4\n');
      expect(table.records).toEqual([
        { row: 1, line: 3, values: ['1', '2'] },
        { row: 2, line: 8, values: ['3', '4'] },
      ]);
    });

    it('fills missing trailing cells with empty strings', async () => {
      expect(valuesOf(await read('a,b,c\n1\n1,2\n'))).toEqual([
        ['1', '', ''],
        ['1', '2', ''],
      ]);
    });

    it('ignores extra cells that are empty (trailing delimiters)', async () => {
      const table = await read('a,b\n1,2,,,\n3,4, ,\n');
      expect(valuesOf(table)).toEqual([
        ['1', '2'],
        ['3', '4'],
      ]);
      expect(errorsOf(table)).toEqual([undefined, undefined]);
    });

    it('fails a row with more values than the header has columns', async () => {
      const table = await read('a,b,c,d,e\n1,2,3,4,5,6,7\n1,2,3,4,5,6,,\nok\n');
      expect(table.records[0]).toEqual({
        row: 1,
        line: 2,
        values: ['1', '2', '3', '4', '5'],
        error: 'Row has 7 values but the header has 5 columns',
      });
      expect(table.records[1].error).toBe('Row has 6 values but the header has 5 columns');
      expect(table.records[2].error).toBeUndefined();
      expect((await read('a\n1,2\n')).records[0].error).toBe('Row has 2 values but the header has 1 column');
    });
  });

  describe('malformed records', () => {
    it('reports an unclosed quote with the line where its record starts and keeps the records before it', async () => {
      const table = await read(leadRows(10) + 'x@y.co,Xavier,"never closed\nuser12@example.com,User 12,note\n');
      expect(table.records).toHaveLength(11);
      expect(errorsOf(table).slice(0, 10)).toEqual(Array(10).fill(undefined));
      expect(table.records[10]).toMatchObject({
        row: 11,
        line: 12,
        error: 'Unclosed quote in the record starting at line 12',
      });
      expect(table.records[10].values.slice(0, 2)).toEqual(['x@y.co', 'Xavier']);
    });

    it('reports quotes inside an unquoted value instead of passing on the cells csv-parser merged', async () => {
      const table = await read('name,email\nAnn,a@b.co\nBob "The Builder" Smith,c@d.co\nCy,e@f.co\n');
      expect(linesOf(table)).toEqual([2, 3, 4]);
      expect(errorsOf(table)).toEqual([
        undefined,
        expect.stringMatching(/^Misplaced quote in the record starting at line 3 /),
        undefined,
      ]);
      expect(table.records[2].values).toEqual(['Cy', 'e@f.co']);
    });

    it('reports a record whose odd bare quote made csv-parser join lines', async () => {
      const table = await read('name,height\nAnn,5\'10"\nBob,6\'1"\nCy,6\n');
      expect(table.records.map(({ row, line, error }) => ({ row, line, failed: error !== undefined }))).toEqual([
        { row: 1, line: 2, failed: true },
        { row: 2, line: 4, failed: false },
      ]);
    });

    it('reports text after a closing quote', async () => {
      const table = await read('a,b\n"x"y,z\n');
      expect(table.records[0].error).toMatch(/^Misplaced quote in the record starting at line 2 /);
    });

    it('rejects the file when the header row itself is malformed', async () => {
      const error = await rejection('"name,email\nAnn,a@b.co\n');
      expect(error.message).toBe('The header row cannot be read: Unclosed quote in the record starting at line 1');
    });
  });

  describe('cell size', () => {
    it('fails a row with a value over maxCellBytes, counting UTF-8 bytes, and blanks that value', async () => {
      const table = await read('id,notes,more\n1,0123456789\n2,0123456789A\n3,€€€€\n4,€€€€,0123456789A\n', {
        maxCellBytes: 10,
      });
      const tooLarge = 'Value in column "notes" is larger than 10 bytes';
      expect(table.records).toEqual([
        { row: 1, line: 2, values: ['1', '0123456789', ''] },
        { row: 2, line: 3, values: ['2', '', ''], error: tooLarge },
        { row: 3, line: 4, values: ['3', '', ''], error: tooLarge },
        { row: 4, line: 5, values: ['4', '', ''], error: tooLarge },
      ]);
      expect((await read('a\n12345\n', { maxCellBytes: 1025 })).records[0].error).toBeUndefined();
      expect((await read('a\n1234\n', { maxCellBytes: 2048 })).records[0].error).toBeUndefined();
    });

    it('names the limit in bytes, KB or MB', async () => {
      const error = async (maxCellBytes: number) =>
        (await read(`a\n${'x'.repeat(maxCellBytes + 1)}\n`, { maxCellBytes })).records[0].error;
      expect(await error(1_025)).toBe('Value in column "a" is larger than 1,025 bytes');
      expect(await error(2_048)).toBe('Value in column "a" is larger than 2 KB');
    });

    it('blanks an oversized value on a row that failed for another reason too', async () => {
      const table = await read('id,notes\n1,"12345678901\n', { maxCellBytes: 10 });
      expect(table.records[0]).toEqual({
        row: 1,
        line: 2,
        values: ['1', ''],
        error: 'Unclosed quote in the record starting at line 2',
      });
    });

    it('allows 1 MB per value by default', async () => {
      const table = await read(`id,Notes\n1,${'x'.repeat(1_048_576)}\n2,"${'x'.repeat(1_048_577)}"\n`);
      expect(errorsOf(table)).toEqual([undefined, 'Value in column "Notes" is larger than 1 MB']);
    });

    it('fails a row over maxRowBytes, counting UTF-8 bytes, and blanks its largest values until the rest fits', async () => {
      const table = await read('id,a,b,c\n1,12345,1234,12\n2,€€,1234,12\n3,12345,"12,",wxyz\n', {
        maxCellBytes: 10,
        maxRowBytes: 12,
      });
      const tooLarge = 'Row is larger than 12 bytes';
      expect(table.records).toEqual([
        { row: 1, line: 2, values: ['1', '12345', '1234', '12'] },
        { row: 2, line: 3, values: ['2', '', '1234', '12'], error: tooLarge },
        { row: 3, line: 4, values: ['3', '', '12,', 'wxyz'], error: tooLarge },
      ]);
    });

    it('allows 4 MB per row by default', async () => {
      const value = 'x'.repeat(1_000_000);
      const table = await read(
        `a,b,c,d,e\n${[value, value, value, value, value].join(',')}\n${[value, value].join(',')},,,\n`,
      );
      expect(errorsOf(table)).toEqual(['Row is larger than 4 MB', undefined]);
    });
  });

  describe('empty files', () => {
    it.each([
      ['an empty file', Buffer.alloc(0)],
      ['a UTF-8 BOM only', Buffer.from([0xef, 0xbb, 0xbf])],
      ['a UTF-16 BOM only', Buffer.from([0xff, 0xfe])],
      ['whitespace only', Buffer.from('  \n\t\r\n \r')],
      ['a header only', Buffer.from('email,name\r\n')],
      ['a header and blank rows', Buffer.from('email,name\n\n,\n  ,  \n')],
    ])('rejects %s', async (_name, file) => {
      expect((await rejection(file)).message).toBe('CSV file is empty');
    });
  });

  describe('row limit', () => {
    it('accepts maxRows data records and rejects one more, not counting blank rows', async () => {
      expect((await read(leadRows(3) + '\n\n', { maxRows: 3 })).records).toHaveLength(3);
      expect((await rejection(leadRows(4), { maxRows: 3 })).message).toBe('Maximum 3 leads per CSV file');
      expect((await rejection(leadRows(1235), { maxRows: 1234 })).message).toBe('Maximum 1,234 leads per CSV file');
      // Far over the limit, the pre-pass stops the read: it names the same limit.
      expect((await rejection(leadRows(100), { maxRows: 3 })).message).toBe('Maximum 3 leads per CSV file');
      expect((await read(leadRows(3), { maxRows: undefined })).records).toHaveLength(3);
    });

    it('enforces 50,000 rows by default', async () => {
      expect((await read(leadRows(50_000))).records).toHaveLength(50_000);
      expect((await rejection(leadRows(50_001))).message).toBe('Maximum 50,000 leads per CSV file');
    });
  });

  describe('column limit', () => {
    const columnError = (line: number, columns: string, max: string) =>
      `Line ${line} has ${columns} columns; a CSV file may have at most ${max}. Delete the empty or unused columns ` +
      '(in a spreadsheet: the columns right of your data) and upload the file again.';

    it('rejects a header with more than maxColumns columns, blank ones included, and accepts maxColumns', async () => {
      const blankHeaded = (columns: number) => `email${','.repeat(columns - 1)}\na@b.co\n`;
      expect((await read(blankHeaded(5), { maxColumns: 5 })).records).toHaveLength(1);
      expect((await rejection(blankHeaded(6), { maxColumns: 5 })).message).toBe(columnError(1, '6', '5'));
      expect((await rejection(`Report\n\n${blankHeaded(1234)}`, { maxColumns: 5 })).message).toBe(
        columnError(3, '1,234', '5'),
      );
    });

    it('rejects a row wider than the limit, naming its line, and counts delimiters in quotes as text', async () => {
      const file = 'email,notes\na@b.co,"1,2,3,4,5,6"\n' + 'b@b.co,x,,,,\n';
      expect((await rejection(file, { maxColumns: 5 })).message).toBe(columnError(3, '6', '5'));
      expect(valuesOf(await read('email,notes\r\na@b.co,"1,2,3,\r\n4,5,6"\r\n', { maxColumns: 5 }))).toEqual([
        ['a@b.co', '1,2,3,\r\n4,5,6'],
      ]);
    });

    it('allows 20,000 columns by default, so the 5 MB header of a probe is refused before it is parsed', async () => {
      const header = ['email', ...Array.from({ length: 19_999 }, (_, i) => `c${i}`)].join(',');
      expect((await read(`${header}\na@b.co\n`)).records).toHaveLength(1);
      const probe = Buffer.concat([
        Buffer.from('email'),
        Buffer.alloc(5 * 1024 * 1024, ','),
        Buffer.from('\na@b.co\n'),
      ]);
      expect((await rejection(probe)).message).toBe(columnError(1, '5,242,881', '20,000'));
    });
  });

  describe('header size', () => {
    const sizeError = (line: number, size: string) =>
      `The header row (line ${line}) is larger than ${size}. Make sure the file starts with a row of column names ` +
      '(not data) and shorten long names, then upload it again.';

    it('rejects a header over maxHeaderBytes, counting UTF-8 bytes, and accepts one of exactly that size', async () => {
      // "é" is two bytes: 3 + 2 + 5 = 10 bytes of names.
      expect((await read('ema,é,notes\na@b.co,x,y\n', { maxHeaderBytes: 10 })).headers).toEqual(['ema', 'é', 'notes']);
      expect((await rejection('ema,é,notes!\na@b.co,x,y\n', { maxHeaderBytes: 10 })).message).toBe(
        sizeError(1, '10 bytes'),
      );
    });

    it('allows 256 KB by default and names the line of a header below a preamble', async () => {
      const names = (bytes: number) => `Email,First Name,${'n'.repeat(bytes - 'EmailFirst Name'.length)}`;
      expect((await read(`${names(262_144)}\na@b.co,Ann,x\n`)).records).toHaveLength(1);
      // 3,000 names of 90 characters: each short enough for a header, together over 256 KB.
      const long = Array.from({ length: 2_998 }, (_, i) => `Field ${String(i).padStart(4, '0')} ${'x'.repeat(79)}`);
      const preamble = 'Exported by Example CRM\nDate,2026-01-01\n';
      const file = `${preamble}Email,First Name,${long.join(',')}\na@b.co,Ann\n`;
      expect((await rejection(file)).message).toBe(sizeError(3, '256 KB'));
    });
  });

  describe('files that are not CSV text', () => {
    const zip = (name: string) =>
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(name)]);
    const spreadsheetAdvice = 'Export it as CSV and upload that.';
    const otherAdvice = 'Upload the leads as a CSV file instead.';

    it.each([
      ['an Excel .xlsx workbook', zip('[Content_Types].xml...xl/workbook.xml'), spreadsheetAdvice],
      [
        'an OpenDocument .ods spreadsheet',
        zip('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),
        spreadsheetAdvice,
      ],
      ['a ZIP archive', zip('leads.csv'), otherAdvice],
      ['an Excel .xls workbook', Buffer.from('d0cf11e0a1b11ae1000000', 'hex'), spreadsheetAdvice],
      ['a PDF document', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), otherAdvice],
      ['a PNG image', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), otherAdvice],
      ['a JPEG image', Buffer.from('ffd8ffe000104a464946', 'hex'), otherAdvice],
      ['a GIF image', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), otherAdvice],
      ['a gzip archive', gzipSync('email\na@b.co\n'), otherAdvice],
    ])('rejects %s', async (kind, file, advice) => {
      expect((await rejection(file)).message).toBe(
        `The file is not a CSV text file (it looks like ${kind}). ${advice}`,
      );
    });

    it('rejects content with a high share of control bytes', async () => {
      const noise = Buffer.from(Array.from({ length: 4096 }, (_byte, index) => (index * 73 + 19) % 256)); // every byte value
      for (const file of [noise, Buffer.concat([Buffer.from('email,name\n'), Buffer.alloc(500)])]) {
        expect((await rejection(file)).message).toBe(
          `The file is not a CSV text file (it looks like binary data). ${otherAdvice}`,
        );
      }
    });

    it('keeps a few NUL bytes inside otherwise normal cells as data', async () => {
      const table = await read('email,name\na@b.co,Ann\0\nb@c.co,B\0ob\n');
      expect(valuesOf(table)).toEqual([
        ['a@b.co', 'Ann\0'],
        ['b@c.co', 'B\0ob'],
      ]);
    });
  });

  describe('line numbers', () => {
    const lines = ['', 'name,notes', 'Ann,"one', 'two"', '', 'Bob,"say ""hi""', '', 'bye"', '  ', 'Cy,x'];

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
    ])('count blank lines and line breaks inside quotes (%s)', async (_name, eol) => {
      const table = await read(lines.join(eol) + eol);
      expect(table.records.map(({ row, line }) => ({ row, line }))).toEqual([
        { row: 1, line: 3 },
        { row: 2, line: 6 },
        { row: 3, line: 10 },
      ]);
      expect(table.records[1].values[1]).toBe(`say "hi"${eol}${eol}bye`);
    });
  });

  describe('runs of blank lines', () => {
    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
      ['delimiters and spaces', ' ,\t,\r\n'],
    ])('reads a file of nothing but blank lines (%s) as empty', async (_name, blank) => {
      expect((await rejection(blank.repeat(100_000))).message).toBe('CSV file is empty');
    });

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
    ])('keeps line numbers across long runs above, between and below rows (%s)', async (_name, eol) => {
      const run = (lines: number) => eol.repeat(lines);
      const text = `${run(5000)}email,name${eol}${run(300)}a@b.co,Ann${eol}${run(2)}b@b.co,"Bo${run(70)}b"${eol}${run(9000)}`;
      const table = await read(text);
      expect(table.records).toEqual([
        { row: 1, line: 5302, values: ['a@b.co', 'Ann'] },
        { row: 2, line: 5305, values: ['b@b.co', `Bo${run(70)}b`] },
      ]);
      expect((await reader.open(Buffer.from(`${run(5000)}Name,Company${eol}Jane,Acme${eol}`))).headers).toEqual([
        'Name',
        'Company',
      ]);
    });

    it('passes over 20 MB of blank lines above the header without handing csv-parser a line of them', async () => {
      const blank = Buffer.alloc(20 * 1024 * 1024, '\n');
      const text = Buffer.concat([blank, Buffer.from('email,name\na@b.co,Ann\n')]);
      const scan = scanRecords(text, detectDialect(text), { maxRows: 10, recordsAbove: 0, maxColumns: 10 }, 65_536);
      expect(scan.chunks).toEqual([{ start: blank.length, end: text.length }]);
      expect((await read(text)).records).toEqual([{ row: 1, line: blank.length + 2, values: ['a@b.co', 'Ann'] }]);
    });
  });

  describe('rows that are no records', () => {
    it('counts rows only csv-parser can tell from blank ones in chunks, giving the event loop turns meanwhile', async () => {
      // Non-ASCII characters other than Unicode spaces may be blank to csv-parser's reading: it counts such rows.
      const file = Buffer.from(`email,name\na@b.co,Ann\n${'\u00e9\n'.repeat(300_000)}`);
      let turns = 0;
      let reading = true;
      const count = () => {
        turns++;
        if (reading) setImmediate(count);
      };
      setImmediate(count);
      const error = await rejection(file, { maxRows: 10 });
      reading = false;
      expect(error.message).toBe('Maximum 10 leads per CSV file');
      // The row limit's exact count parses the 900 KB in 64 KB chunks, a turn after each.
      expect(turns).toBeGreaterThan(10);
    });

    it.each([
      ['""', '\n'],
      ['"",""', '\r\n'],
      ['" ",\t,""', '\n'],
      ['"\n"', '\n'],
      ['""', '\r'],
      ['\u3000', '\n'],
      ['\u00a0,\u2003\u202f', '\r\n'],
      ['"\u3000",\ufeff', '\n'],
    ])('leaves runs of blank rows (%j) out of what csv-parser reads, and counts their lines', async (row, eol) => {
      const run = `${row}${eol}`.repeat(100_000);
      const text = Buffer.from(`email,name${eol}a@b.co,Ann${eol}${run}b@b.co,Bo${eol}`);
      const scan = scanRecords(text, detectDialect(text), { maxRows: 10, recordsAbove: 0, maxColumns: 10 }, 65_536);
      expect(scan.records).toEqual({ sure: 3, maybe: 0 });
      const runStart = text.indexOf(`a@b.co,Ann${eol}`) + `a@b.co,Ann${eol}`.length;
      expect(scan.chunks).toEqual([
        { start: 0, end: runStart },
        { start: runStart + Buffer.byteLength(run), end: text.length },
      ]);
      const linesPerRow = row.split('\n').length;
      expect((await read(text, { maxRows: 10 })).records).toEqual([
        { row: 1, line: 2, values: ['a@b.co', 'Ann'] },
        { row: 2, line: 3 + 100_000 * linesPerRow, values: ['b@b.co', 'Bo'] },
      ]);
    });

    it.each([
      ['a quote', '""""'],
      ['a quoted delimiter', '","'],
      ['a value with its quotes', ' ""'],
    ])('parses records of quotes that hold a value (%s)', async (_name, row) => {
      const text = Buffer.from(`email,name\na@b.co,Ann\n${`${row}\n`.repeat(100)}`);
      const scan = scanRecords(text, detectDialect(text), { maxRows: 1000, recordsAbove: 0, maxColumns: 10 }, 65_536);
      expect(scan.records).toEqual({ sure: 2, maybe: 100 });
      expect(scan.chunks).toEqual([{ start: 0, end: text.length }]);
      expect((await read(text, { maxRows: 1000 })).records).toHaveLength(101);
    });
  });

  // Speed is measured by `npm run bench`; these check that the big inputs come out right.
  describe('streaming', () => {
    it('reads the header and the first rows at open, then gives every row in order', async () => {
      const text = `${leadRows(2500)}"quoted@example.com","Quoted, ""Q""",note\n`;
      const opened = await reader.open(Buffer.from(text));
      expect(opened.headers).toEqual(['email', 'name', 'notes']);
      expect(opened.firstRows.length).toBeGreaterThanOrEqual(1000);
      expect(opened.totalRows).toBe(2501);
      const rows: CsvRow[] = [];
      for await (const chunk of opened.rows()) rows.push(...chunk);
      expect(rows.map((row) => row.row)).toEqual(Array.from({ length: 2501 }, (_, i) => i + 1));
      const values = ['quoted@example.com', 'Quoted, "Q"', 'note'];
      expect(rows[2500]).toEqual({ row: 2501, line: 2502, values, cells: values });
    });

    it('refuses a file over the row limit at open, before any row is given', async () => {
      await expect(reader.open(Buffer.from(leadRows(3)), { maxRows: 2 })).rejects.toThrow(
        'Maximum 2 leads per CSV file',
      );
    });
  });

  describe('large inputs', () => {
    it('reads a 50 MB file of 50,000 rows with multi-line quoted cells', async () => {
      const notes = `"${'Lorem ipsum, dolor ""sit"" amet. '.repeat(30)}\nsecond line"`;
      const file = Buffer.from(leadRows(50_000, notes));
      expect(file.length).toBeGreaterThan(50_000_000);
      const table = await read(file);
      expect(table.records).toHaveLength(50_000);
      expect(table.records[49_999].line).toBe(100_000);
    });

    it('reports one 40 MB record with an unclosed quote as a row error', async () => {
      const table = await read(`email,notes\na@b.co,"${'x'.repeat(40_000_000)}`);
      expect(table.records[0].error).toBe('Unclosed quote in the record starting at line 2');
    });
  });

  describe('properties', () => {
    const needsQuotes = /[",;\t|\r\n]/;
    const field = (value: string) => (needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const char = fc.constantFrom(
      'a',
      'Z',
      '0',
      ' ',
      '"',
      ',',
      ';',
      '\t',
      '|',
      '\n',
      '\r',
      'é',
      '€',
      '😀',
      '中',
      '\u00a0',
    );
    const text = (maxLength: number) => fc.array(char, { maxLength }).map((chars) => chars.join(''));
    const headerName = fc
      .array(fc.constantFrom('a', 'B', ' ', '"', ',', ';', '\t', '|', 'é', '中'), { maxLength: 6 })
      .map((chars) => `H${chars.join('')}x`);
    const table = fc
      .uniqueArray(headerName, { minLength: 1, maxLength: 5, selector: (name) => name.toLowerCase() })
      .chain((headers) =>
        fc.record({
          headers: fc.constant(headers),
          rows: fc.array(
            fc
              .array(text(12), { minLength: headers.length, maxLength: headers.length })
              .filter((row) => row.some((value) => value.trim() !== '')),
            { minLength: 1, maxLength: 6 },
          ),
        }),
      );
    const delimiter = fc.constantFrom<CsvDelimiter>(',', ';', '\t', '|');
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const encoding = fc.constantFrom('utf-8', 'utf-8 BOM', 'utf-16le', 'utf-16be');

    function encode(csv: string, as: string): Buffer {
      if (as === 'utf-8') return Buffer.from(csv);
      if (as === 'utf-8 BOM') return Buffer.from(`\uFEFF${csv}`);
      return iconv.encode(csv, as, { addBOM: true });
    }

    /** RFC 4180 output, plus the physical line each data row starts on. */
    function write(rows: string[][], separator: string, lineEnd: string, finalLineEnd: boolean) {
      const records = rows.map((row) => row.map(field).join(separator));
      const starts = records.slice(1).map((_record, index) => {
        const before = records.slice(0, index + 1).join(lineEnd) + lineEnd;
        return 1 + (before.match(/\r\n|\r|\n/g) ?? []).length;
      });
      return { csv: records.join(lineEnd) + (finalLineEnd ? lineEnd : ''), starts };
    }

    it('round-trips RFC 4180 tables for every delimiter, line end and encoding', async () => {
      await fc.assert(
        fc.asyncProperty(table, delimiter, eol, encoding, fc.boolean(), async (data, separator, lineEnd, as, final) => {
          const { csv, starts } = write([data.headers, ...data.rows], separator, lineEnd, final);
          const result = await readTable(encode(csv, as));
          expect(result.encoding).toBe(as === 'utf-8 BOM' ? 'utf-8' : as);
          expect(result.delimiter).toBe(data.headers.length > 1 ? separator : ',');
          expect(result.headers).toEqual(data.headers);
          expect(result.renamedHeaders).toEqual([]);
          expect(result.records).toEqual(
            data.rows.map((values, index) => ({ row: index + 1, line: starts[index], values })),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('gives the same result however many records csv-parser is given at once', async () => {
      const validCsv = fc
        .tuple(table, delimiter, eol, fc.boolean())
        .map(([data, separator, lineEnd, final]) => write([data.headers, ...data.rows], separator, lineEnd, final).csv);
      const file = fc.oneof(text(120), validCsv).map((csv) => Buffer.from(csv));
      await fc.assert(
        fc.asyncProperty(file, fc.integer({ min: 1, max: 64 }), async (bytes, chunkBytes) => {
          expect(await outcome(bytes, { chunkBytes })).toEqual(await outcome(bytes));
        }),
        { numRuns: 500 },
      );
    });

    it('gives the records csv-parser finds in the whole text, although runs of blank lines are not parsed', async () => {
      const blankRun = fc
        .tuple(
          fc.constantFrom(
            ...['\n', '\r\n', '\r', ' \n', ',,\r\n', ';\t\n', '|\n', '""\n', '"",""\r\n', '" ";\n', '"\n"\r'],
            ...['\u3000\n', '\u00a0,\u2028\r\n', '"\u2009"\n'],
          ),
          fc.integer({ min: 1, max: 80 }),
        )
        .map(([line, count]) => line.repeat(count));
      const csv = fc.array(fc.oneof(text(40), blankRun), { maxLength: 8 }).map((parts) => parts.join(''));
      await fc.assert(
        fc.asyncProperty(csv, fc.integer({ min: 1, max: 64 }), async (parts, chunkBytes) => {
          const bytes = Buffer.from(parts);
          const dialect = detectDialect(bytes);
          const limits = { maxRows: Infinity, recordsAbove: 0, maxColumns: Infinity };
          const records = async (chunks: TextChunk[]) => {
            const all: ParsedRecord[] = [];
            for await (const chunk of parseRecords(bytes, dialect, chunks)) all.push(...chunk);
            return all;
          };
          const { chunks } = scanRecords(bytes, dialect, limits, chunkBytes);
          expect(await records(chunks)).toEqual(await records([{ start: 0, end: bytes.length }]));
        }),
        { numRuns: 1000 },
      );
    });

    it('counts records in its pre-pass as csv-parser does: exactly, or within bounds when quotes could blank them', async () => {
      // Mostly quotes, separators, blanks and line breaks, so that quoted line breaks and blank records come up often.
      const tricky = fc
        .array(fc.constantFrom('"', '"', ',', ' ', '\n', '\r', 'a', '\u00a0', '\t', '\u3000', '\u2028', '\u00e9'), {
          maxLength: 60,
        })
        .map((chars) => chars.join(''));
      await fc.assert(
        fc.asyncProperty(fc.oneof(text(120), tricky), async (csv) => {
          const bytes = Buffer.from(csv);
          const dialect = detectDialect(bytes);
          let records = 0; // csv-parser's non-blank records (and blank ones with a quote problem)
          for await (const chunk of parseRecords(bytes, dialect, [{ start: 0, end: bytes.length }]))
            records += chunk.length;
          const { sure, maybe } = scanRecords(
            bytes,
            dialect,
            { maxRows: Infinity, recordsAbove: 0, maxColumns: Infinity },
            16,
          ).records;
          expect(sure).toBeLessThanOrEqual(records);
          expect(records).toBeLessThanOrEqual(sure + maybe);
          // Without quotes and non-ASCII bytes the pre-pass alone knows every record.
          if (!/["\u0080-\uffff]/.test(csv)) expect(maybe).toBe(0);
        }),
        { numRuns: 3000 },
      );
    });

    it('throws nothing but ValidationError, whatever the bytes', async () => {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
        text(200).map((csv) => Buffer.from(csv)),
      );
      await fc.assert(
        fc.asyncProperty(bytes, async (file) => {
          await outcome(file);
        }),
        { numRuns: 500 },
      );
    });
  });
});
