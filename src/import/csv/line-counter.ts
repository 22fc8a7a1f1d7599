import { ByteFinder } from './byte-finder';
import { CR, LF } from './csv-sniffer';

/** Physical line numbers of increasing byte offsets, counting CRLF, lone CR and LF as one break each. */
export class LineCounter {
  private readonly crs: ByteFinder;
  private readonly lfs: ByteFinder;
  private position = 0;
  private line = 1;

  constructor(private readonly text: Buffer) {
    this.crs = new ByteFinder(text, CR);
    this.lfs = new ByteFinder(text, LF);
  }

  lineAt(offset: number): number {
    for (let cr = this.crs.next(this.position); cr < offset; cr = this.crs.next(cr + 1)) this.line++;
    for (let lf = this.lfs.next(this.position); lf < offset; lf = this.lfs.next(lf + 1)) {
      if (this.text[lf - 1] !== CR) this.line++;
    }
    this.position = offset;
    return this.line;
  }

  /** Moves on to `offset` over a run of blank lines, where a byte loop beats a search per line break. */
  skipTo(offset: number): void {
    this.line += breaksIn(this.text, this.position, offset);
    this.position = offset;
  }
}

/** The 1-based physical line at `offset`, in one pass: for an error message, not for every record. */
export function lineOf(text: Buffer, offset: number): number {
  return 1 + breaksIn(text, 0, offset);
}

function breaksIn(text: Buffer, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    if (text[i] === CR || (text[i] === LF && text[i - 1] !== CR)) breaks++;
  }
  return breaks;
}
