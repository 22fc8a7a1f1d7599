import iconv from 'iconv-lite';
import { detectAll } from 'jschardet';
import { isUtf8 } from 'node:buffer';

/**
 * How an upload was decoded: the encoding's label, how sure we are (0–1), the text as UTF-8 bytes (what csv-parser
 * reads), and what the report should say.
 */
export interface DecodedUpload {
  /** Lower-case label iconv-lite knows: `utf-8`, `utf-16le`, `windows-1251`, `cp932`, `gb18030`, `cp850`… */
  encoding: string;
  /** 1 for a BOM, valid UTF-8 or an `encoding` the caller gave; the detector's score for a guess. */
  confidence: number;
  text: Buffer;
  warnings: string[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** The encoding detector and the UTF-16 sniffing look at this much of the file (the whole file for UTF-8 validity). */
const SAMPLE_BYTES = 64 * 1024;
/** The detector's runners-up whose reading is also judged; below them its scores are noise. */
const CANDIDATES = 5;
/** A sample with this many UTF-8 characters per broken byte sequence is a UTF-8 file with a few bad bytes. */
const MOSTLY_UTF8_RATIO = 10;
/** Characters that no correct decoding of a text file yields: the replacement character and C1 controls. */
const BROKEN = /[\u0080-\u009f\ufffd]/g;
const BROKEN_CHAR = /[\u0080-\u009f\ufffd]/;

/** Whether iconv-lite can decode `label` (`windows-1251`, `Shift_JIS`, `cp850`, `latin1`…): the `encoding` field. */
export function isKnownEncoding(label: string): boolean {
  return label.trim() !== '' && iconv.encodingExists(label.trim());
}

/**
 * Decodes an upload: the caller's `encoding` label when given, else a BOM, else UTF-16 by its NUL bytes (which are
 * valid UTF-8 too), else UTF-8 when the bytes are valid UTF-8, else the best guess of jschardet among the encodings
 * iconv-lite supports. A guess that leaves unreadable characters in the text comes with a warning rather than silent
 * mojibake. A UTF-8 upload is its own text: no copy of it is made.
 */
export function decodeUpload(file: Buffer, override?: string): DecodedUpload {
  if (override !== undefined && override.trim() !== '') return decodeAs(file, override.trim().toLowerCase(), 1);
  if (startsWith(file, UTF8_BOM)) return asUtf8(file.subarray(UTF8_BOM.length));
  const utf16 = utf16ByBom(file);
  if (utf16) return decodeAs(file, utf16, 1);
  const unmarked = utf16ByNulPattern(file);
  if (unmarked) return decodeAs(file, unmarked, 0.9);
  if (isUtf8(file)) return asUtf8(file);
  const sample = detectorSample(file);
  const utf8 = mostlyUtf8(sample);
  if (utf8 !== undefined) return decodeAs(file, 'utf-8', utf8);
  const guess = guessEncoding(sample);
  return decodeAs(file, guess.encoding, guess.confidence);
}

/**
 * Decodes the whole file. Text that holds unreadable characters gets a warning, whoever chose the encoding: the
 * detector (a guess, low confidence) or the caller (a wrong label); never silent mojibake.
 */
function decodeAs(file: Buffer, encoding: string, confidence: number): DecodedUpload {
  // iconv-lite strips a UTF-8 or UTF-16 BOM.
  const decoded = iconv.decode(file, encoding);
  const text = Buffer.from(decoded, 'utf8');
  const broken = countBroken(decoded);
  if (broken === 0) return { encoding, confidence, text, warnings: [] };
  const how = confidence === 1 ? 'as asked' : `a guess, confidence ${confidence}`;
  const warning =
    `The file was read as ${encoding} (${how}), but ${broken} character(s) could not be read. If names look ` +
    `wrong, send the "encoding" field with the file's encoding (e.g. windows-1251, shift_jis, cp850).`;
  return { encoding, confidence, text, warnings: [warning] };
}

function asUtf8(text: Buffer): DecodedUpload {
  return { encoding: 'utf-8', confidence: 1, text, warnings: [] };
}

/**
 * A UTF-8 file with a few broken bytes (a cell pasted from elsewhere) is still UTF-8: reading all of it in a legacy
 * code page would garble every accented letter to save a few. The confidence is the share of readable characters.
 */
function mostlyUtf8(sample: Buffer): number | undefined {
  const text = sample.toString('utf8');
  const broken = text.match(/\ufffd/g)?.length ?? 0;
  const readable = text.match(/[^\x00-\x7f\ufffd]/g)?.length ?? 0;
  if (readable < MOSTLY_UTF8_RATIO * broken || readable === 0) return undefined;
  return Math.floor((readable / (readable + broken)) * 100) / 100;
}

function countBroken(text: string): number {
  return text.match(BROKEN)?.length ?? 0;
}

function startsWith(file: Buffer, bytes: readonly number[]): boolean {
  return file.length >= bytes.length && bytes.every((byte, index) => file[index] === byte);
}

function utf16ByBom(file: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (startsWith(file, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(file, [0xfe, 0xff])) return 'utf-16be';
  return undefined;
}

/** Mostly-ASCII UTF-16 has a NUL in every other byte: the odd ones for little-endian, the even ones for big-endian. */
function utf16ByNulPattern(file: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(file.length, SAMPLE_BYTES) / 2);
  if (pairs < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (file[i] === 0) evenNuls++;
    if (file[i + 1] === 0) oddNuls++;
  }
  if (oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * The bytes the detector reads: from the line holding the first non-ASCII byte on. A long ASCII head (headers and
 * English rows) tells it nothing, and would push the telling bytes past its window.
 */
function detectorSample(file: Buffer): Buffer {
  let first = 0;
  while (first < file.length && file[first] < 0x80) first++;
  const start = first < SAMPLE_BYTES ? 0 : file.lastIndexOf(0x0a, first) + 1;
  return file.subarray(start, start + SAMPLE_BYTES);
}

interface Guess {
  encoding: string;
  confidence: number;
}

/**
 * The detector's best guess, checked against how its reading looks. On a small file jschardet's scores are close and
 * its first pick can read `José` as Hebrew; so among its top candidates (and Windows-1252, the reading before the
 * detector) the one whose text has the fewest implausible words wins, ties in the detector's order. A pick that reads
 * exactly as Windows-1252 is reported as Windows-1252, the most common of them.
 */
function guessEncoding(sample: Buffer): Guess {
  const ranked: Guess[] = [];
  for (const result of detectAll(sample)) {
    const encoding = supportedLabel(result.encoding);
    if (encoding && !ranked.some((guess) => guess.encoding === encoding)) {
      ranked.push({ encoding, confidence: Math.round(result.confidence * 100) / 100 });
    }
    if (ranked.length === CANDIDATES) break;
  }
  if (!ranked.some((guess) => guess.encoding === WINDOWS_1252)) ranked.push({ encoding: WINDOWS_1252, confidence: 0 });

  let best = ranked[0];
  let bestText = iconv.decode(sample, best.encoding);
  let bestScore = implausibility(bestText);
  for (const guess of ranked.slice(1)) {
    if (bestScore === 0) break;
    const text = iconv.decode(sample, guess.encoding);
    const score = implausibility(text);
    if (score < bestScore) [best, bestText, bestScore] = [guess, text, score];
  }
  if (best.encoding !== WINDOWS_1252 && bestText === iconv.decode(sample, WINDOWS_1252)) {
    return { encoding: WINDOWS_1252, confidence: best.confidence };
  }
  return best;
}

const WINDOWS_1252 = 'windows-1252';

/**
 * The iconv-lite label for a detector answer. The file is known not to be UTF-8 here, so an `ascii` or `utf-8`
 * answer (the detector saw too little) and ISO-8859-1 fall back to Windows-1252, its superset, as browsers do.
 */
function supportedLabel(name: string | null): string | undefined {
  if (name === null) return undefined;
  const label = name.toLowerCase();
  if (label === 'ascii' || label === 'utf-8' || label === 'iso-8859-1') return WINDOWS_1252;
  return iconv.encodingExists(label) ? label : undefined;
}

const WORD = /[^\s,;|"]+/g;
const LETTER = /\p{L}/u;
/** Scripts a word does not mix, except with Latin (product names, romanised parts in CJK text). */
const SCRIPTS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];
const LATIN = /\p{Script=Latin}/u;
/** Punctuation that real names hold between letters: apostrophes, hyphens, dashes, dots, middle dots. */
const INNER_PUNCTUATION = /['’‘\-–—.·・&/]/;

/**
 * How many words of a decoded sample look like a wrong decoding: an unreadable character, letters of two scripts in
 * one word (`Jos` + a Hebrew letter), or a symbol between two letters (`Spó³ka`, Polish `ł` read as Windows-1252).
 */
function implausibility(text: string): number {
  let count = 0;
  for (const [word] of text.matchAll(WORD)) {
    if (/^[\x00-\x7f]*$/.test(word)) continue;
    if (BROKEN_CHAR.test(word) || mixesScripts(word) || hasSymbolInside(word)) count++;
  }
  return count;
}

function mixesScripts(word: string): boolean {
  let found: string | undefined;
  let latin = false;
  for (const char of word) {
    if (!LETTER.test(char)) continue;
    if (LATIN.test(char)) {
      latin = true;
      continue;
    }
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0] ?? 'other';
    if (found !== undefined && found !== script) return true;
    found = script;
    if (latin && script !== 'CJK') return true;
  }
  return latin && found !== undefined && found !== 'CJK';
}

function hasSymbolInside(word: string): boolean {
  const chars = Array.from(word);
  for (let i = 1; i < chars.length - 1; i++) {
    const char = chars[i];
    if (char.charCodeAt(0) < 0x80 || LETTER.test(char) || /\p{M}/u.test(char) || INNER_PUNCTUATION.test(char)) continue;
    if (LETTER.test(chars[i - 1]) && LETTER.test(chars[i + 1])) return true;
  }
  return false;
}
