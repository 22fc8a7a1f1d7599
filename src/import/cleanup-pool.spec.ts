import type { AppConfig } from '../config/app-config';
import { CleanupPool } from './cleanup-pool';
import { EventLoopTurns } from './event-loop-turns';
import { Normalizer, RawLead } from './normalizer';

describe('CleanupPool without cleaning threads', () => {
  it('cleans a batch a few hundred rows per event-loop turn, so other requests get in between', async () => {
    const config = { import: { cleanupThreads: 0 } } as AppConfig;
    const pool = new CleanupPool(config, new Normalizer(), new EventLoopTurns());
    const rows: RawLead[] = Array.from({ length: 1000 }, (_, i) => ({
      fields: { email: ` User${i}@Example.com `, phone: '(415) 555-2671', country: 'US' },
      custom: [],
    }));
    let turns = 0;
    let cleaning = true;
    const countTurns = () => {
      turns++;
      if (cleaning) setImmediate(countTurns);
    };
    setImmediate(countTurns);

    const cleaned = await pool.clean(rows, true);
    cleaning = false;

    expect(cleaned).toHaveLength(1000);
    expect(cleaned[999]).toMatchObject({ ok: true, identity: 'user999@example.com' });
    expect(cleaned[0]).toMatchObject({ fields: { phone: '+14155552671' } });
    expect(turns).toBeGreaterThanOrEqual(4); // 1,000 rows in slices of 250
  });
});
