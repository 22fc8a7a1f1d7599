import { canonicalTimezone } from './timezone';

describe('canonicalTimezone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['utc', 'UTC'],
    ['Etc/GMT+1', 'Etc/GMT+1'],
  ])('%j → %j', (value, expected) => expect(canonicalTimezone(value)).toBe(expected));

  it.each(['PST', 'EST', 'GMT+1', 'Eastern Time (US & Canada)', 'Mars/Olympus_Mons', 'UTC+02:00'])(
    'keeps %j, which is not an IANA name',
    (value) => expect(canonicalTimezone(value)).toBe(value),
  );
});
