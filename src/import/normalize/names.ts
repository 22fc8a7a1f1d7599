import { cleanText } from './text';

const APOSTROPHES = /[\u2018\u2019\u02BC\u0060\u00B4]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const BRACKETED = /\([^()]*\)|\[[^[\]]*\]/g;
const BRACKETS = /[()[\]]/g;
/** Anything that is not a letter, a combining mark, an apostrophe, a hyphen, a period, a middle dot or a space. */
const STRAY = /[^\p{L}\p{M}'\-. \u00B7\u30FB]+/gu;
const SPACE_RUN = / {2,}/g;
const LETTER = /\p{L}/u;
const NON_ASCII = /[^\x00-\x7F]/;
const WORD_START = /(^|[\s\-.])(\p{Ll})/gu;
const ELISION = /(^|[\s\-.])(\p{Lu})'(\p{Ll})/gu;
/** A capitalised ASCII word or words, the common case, which needs no work. */
const PLAIN_NAME = /^[A-Z][a-z]+(?: [A-Z][a-z]+)*$/;

/** Trims spaces and hyphens at both ends and periods at the start; a loop, as the regex form backtracks badly. */
function trimEdges(name: string): string {
  let start = 0;
  let end = name.length;
  while (start < end && (name[start] === ' ' || name[start] === '-' || name[start] === '.')) start++;
  while (end > start && (name[end - 1] === ' ' || name[end - 1] === '-')) end--;
  return name.slice(start, end);
}

/** Upper-cases one letter, unless that takes more than one letter (`ß` → `SS`), which would read as all-caps. */
function capital(letter: string): string {
  const upper = letter.toUpperCase();
  return upper.length === letter.length ? upper : letter;
}

function titleCase(name: string): string {
  const titled = name
    .toLowerCase()
    .replace(WORD_START, (_, before: string, letter: string) => before + capital(letter))
    .replace(ELISION, (_, before: string, initial: string, letter: string) => `${before}${initial}'${capital(letter)}`);
  return NON_ASCII.test(titled) ? titled.normalize('NFC') : titled;
}

/**
 * Cleans a first or last name: text cleanup, then curly apostrophes become `'` and dashes `-`, bracketed parts
 * (`(Johnny)`, `[Sales]`) are dropped, and every character that is not a letter, mark, apostrophe, hyphen, period,
 * middle dot or space is removed (digits, `*#@!?`, emoji…). A name written all in capitals or all in lower case is
 * title-cased (`JOHN` → `John`, `o'neil` → `O'Neil`, `jean-luc` → `Jean-Luc`); a mixed-case name (`McDonald`,
 * `van Dijk`) is left as written.
 */
export function cleanName(value: string): string {
  const text = cleanText(value);
  if (PLAIN_NAME.test(text)) return text;
  const unified = text.replace(APOSTROPHES, "'").replace(DASHES, '-');
  let kept = unified.replace(BRACKETED, ' ');
  // "(Jane)" on its own is the name, not an annotation on it.
  if (kept !== unified && !LETTER.test(kept)) kept = unified.replace(BRACKETS, ' ');
  const name = trimEdges(kept.replace(STRAY, ' ').replace(SPACE_RUN, ' '));
  if (!LETTER.test(name)) return '';
  const lower = name.toLowerCase();
  const upper = name.toUpperCase();
  if (lower !== upper && (name === lower || name === upper)) return titleCase(name);
  return name;
}

const HONORIFICS = new Set('mr mrs ms miss mx dr prof sir dame herr frau mme mlle'.split(' '));
const SUFFIXES = new Set('jr sr ii iii iv phd md mba esq cpa dds jd msc bsc'.split(' '));
/** Words that start a family name: "Jane van der Berg" → last name "van der Berg". */
const PARTICLES = new Set(
  'van von der den de del della di da du dos das do la le ten ter bin ibn al el st saint'.split(' '),
);
const TITLE_DOTS = /\./g;
const WHITESPACE = /\s+/;

function titleWord(token: string): string {
  return token.replace(TITLE_DOTS, '').toLowerCase();
}

/** Drops honorifics before and suffixes after the name, unless nothing would be left. */
function stripTitles(tokens: string[]): string[] {
  let start = 0;
  let end = tokens.length;
  while (start < end - 1 && HONORIFICS.has(titleWord(tokens[start]))) start++;
  while (end > start + 1 && SUFFIXES.has(titleWord(tokens[end - 1]))) end--;
  return tokens.slice(start, end);
}

/** The words of a name; a "word" with no letter in it (`-`, `&`, an emoji) is not part of the name. */
function words(part: string): string[] {
  return part.split(WHITESPACE).filter((word) => LETTER.test(word));
}

/** First and last name read out of one "full name" cell; either may be missing. */
export interface SplitName {
  firstName?: string;
  lastName?: string;
}

/**
 * Splits a full name: `Jane Doe` → Jane / Doe; `Mary Jane Watson` → Mary Jane / Watson (everything before the last
 * name is the first name); `Jane van der Berg` → Jane / van der Berg (a family-name particle starts the last name);
 * `Doe, Jane` → Jane / Doe; a single word → first name only. Honorifics (`Dr.`, `Mr`, `Mrs`, `Ms`, `Prof`…),
 * suffixes (`Jr.`, `Sr.`, `III`, `PhD`, `MBA`…) and words without a letter are dropped. No other cleanup here.
 */
export function splitFullName(fullName: string): SplitName {
  const parts = fullName
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !SUFFIXES.has(titleWord(part)));
  if (parts.length >= 2) {
    // "Doe, Jane": family name first.
    const last = stripTitles(words(parts[0]));
    const first = stripTitles(words(parts[1]));
    return { firstName: first.join(' ') || undefined, lastName: last.join(' ') || undefined };
  }
  const tokens = stripTitles(words(parts[0] ?? ''));
  if (tokens.length === 0) return {};
  if (tokens.length === 1) return { firstName: tokens[0] };
  let lastStart = tokens.length - 1;
  for (let i = 1; i < tokens.length - 1; i++) {
    if (PARTICLES.has(titleWord(tokens[i]))) {
      lastStart = i;
      break;
    }
  }
  return { firstName: tokens.slice(0, lastStart).join(' '), lastName: tokens.slice(lastStart).join(' ') };
}

/** An address in a name cell, with the brackets, `mailto:` and separators around it. */
const EMAIL_IN_NAME = /[<([]?\s*(?:mailto:)?[^\s<>()[\]@,;:"]+@[^\s<>()[\]@,;:"]+\.[^\s<>()[\]@,;:"]+\s*[>)\]]?/gi;

/**
 * A name cell without the email addresses in it: `Jane Doe <jane@x.com>` → `Jane Doe`, `jane@x.com` → ``. An address
 * is not a name, and name cleanup would otherwise turn `jane@x.com` into a made-up `Janexcom`.
 */
export function withoutEmails(value: string): string {
  return value.includes('@') ? value.replace(EMAIL_IN_NAME, ' ').trim() : value;
}
