/** When a failed webhook is tried again: exponential backoff with jitter, within a window after the first attempt. */

/** No wait between two attempts is longer than this (unless the base itself is). */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * The time of the next attempt after `attempts` attempts, or null once the window from the first attempt is over.
 * The delay doubles from `baseMs`, half of it random so that receivers coming back up are not hit all at once; the
 * last attempt falls on the window's end.
 */
export function nextAttemptAt(
  attempts: number,
  firstAttemptAt: Date,
  now: Date,
  schedule: { baseMs: number; windowMs: number },
  random: () => number = Math.random,
): Date | null {
  const deadline = firstAttemptAt.getTime() + schedule.windowMs;
  if (now.getTime() >= deadline) return null;
  const exponential = Math.min(
    schedule.baseMs * 2 ** Math.min(attempts - 1, 30),
    Math.max(schedule.baseMs, MAX_RETRY_DELAY_MS),
  );
  const delay = exponential / 2 + (random() * exponential) / 2;
  return new Date(Math.min(now.getTime() + delay, deadline));
}
