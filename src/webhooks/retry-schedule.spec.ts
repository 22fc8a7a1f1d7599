import { MAX_RETRY_DELAY_MS, nextAttemptAt } from './retry-schedule';

const DAY = 24 * 60 * 60 * 1000;
const schedule = { baseMs: 30_000, windowMs: DAY };
const start = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('nextAttemptAt', () => {
  it('doubles the delay from the base, between half and all of it', () => {
    expect(nextAttemptAt(1, start, start, schedule, () => 1)).toEqual(at(30_000));
    expect(nextAttemptAt(1, start, start, schedule, () => 0)).toEqual(at(15_000));
    expect(nextAttemptAt(2, start, at(30_000), schedule, () => 1)).toEqual(at(90_000));
    expect(nextAttemptAt(5, start, at(0), schedule, () => 1)).toEqual(at(16 * 30_000));
  });

  it('waits at most an hour between attempts', () => {
    expect(nextAttemptAt(20, start, at(0), schedule, () => 1)).toEqual(at(MAX_RETRY_DELAY_MS));
    expect(nextAttemptAt(500, start, at(0), schedule, () => 1)).toEqual(at(MAX_RETRY_DELAY_MS));
  });

  it('puts the last attempt on the end of the window, and stops after it', () => {
    expect(nextAttemptAt(30, start, at(DAY - 60_000), schedule, () => 1)).toEqual(at(DAY));
    expect(nextAttemptAt(31, start, at(DAY), schedule)).toBeNull();
    expect(nextAttemptAt(31, start, at(DAY + 5), schedule)).toBeNull();
  });

  it('keeps retrying for the whole window: about 30 attempts in a day', () => {
    let attempts = 1;
    let now = start;
    for (
      let next = nextAttemptAt(attempts, start, now, schedule);
      next;
      next = nextAttemptAt(attempts, start, now, schedule)
    ) {
      now = next;
      attempts++;
    }
    expect(now).toEqual(at(DAY));
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(60);
  });
});
