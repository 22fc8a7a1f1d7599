/** Finds the next occurrence of one byte; calls must come with non-decreasing `from`, so each search resumes. */
export class ByteFinder {
  private found = -1;

  constructor(
    private readonly text: Buffer,
    private readonly byte: number,
  ) {}

  /** The first position at or after `from` holding the byte, or Infinity. */
  next(from: number): number {
    if (this.found < from) {
      const index = this.text.indexOf(this.byte, from);
      this.found = index < 0 ? Infinity : index;
    }
    return this.found;
  }
}
