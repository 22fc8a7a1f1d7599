import { isPlaceholder, removeProtectionApostrophe } from './placeholders';

describe('isPlaceholder', () => {
  it.each([
    'null',
    'NULL',
    ' None ',
    'N/A',
    'n/a',
    '#N/A',
    '-',
    '--',
    'Unknown',
    '[not provided]',
    'not provided',
    'undefined',
    '0.0.00',
    '0',
    '000000',
    '00/00/0000',
  ])('%j stands for no value', (value) => expect(isPlaceholder(value)).toBe(true));

  it.each([
    'NA',
    'Nan',
    'Nonetheless',
    'Jean-Luc',
    '-5',
    '0.5',
    '100',
    '+49 30 0000000',
    'Unknown Pleasures Ltd',
    'n/ab',
  ])('%j is data', (value) => expect(isPlaceholder(value)).toBe(false));
});

describe('removeProtectionApostrophe', () => {
  it.each([
    ["'+61 412 345 678", '+61 412 345 678'],
    ["'-5", '-5'],
    ["'=SUM(A1)", '=SUM(A1)'],
    ["'0049 30 123", '0049 30 123'],
    ["'@handle", '@handle'],
    ["  '+1 415", '  +1 415'],
    ["'s-Hertogenbosch", "'s-Hertogenbosch"],
    ["'Jane'", "'Jane'"],
    ["O'Neil", "O'Neil"],
  ])('%j → %j', (value, expected) => expect(removeProtectionApostrophe(value)).toBe(expected));
});
