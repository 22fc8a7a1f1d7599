/** Small text rules shared by every module: counting characters, cutting values short, writing numbers. */

/** Length in Unicode code points (what users call characters, and what varchar limits count), not UTF-16 units. */
export function codePointLength(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The first `max` code points of a value (never half a surrogate pair), plus `ellipsis` when it was longer. */
export function truncate(value: string, max: number, ellipsis = ''): string {
  if (value.length <= max) return value;
  let end = 0;
  for (let count = 0; count < max && end < value.length; count++) {
    const unit = value.charCodeAt(end);
    end += unit >= 0xd800 && unit <= 0xdbff && end + 1 < value.length ? 2 : 1;
  }
  return end < value.length ? `${value.slice(0, end)}${ellipsis}` : value;
}

/** 1234567 → "1,234,567". */
export function formatCount(count: number): string {
  return new Intl.NumberFormat('en-US').format(count);
}

/** 1 → "1 value", 2 → "2 values". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** 1048576 → "1 MB", 65536 → "64 KB", 1000 → "1,000 bytes": a limit as a person reads it. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return plural(bytes, 'byte');
}
