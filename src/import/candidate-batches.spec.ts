import { readAhead, readAheadDepth } from './candidate-batches';

describe('readAhead', () => {
  it('asks for the next batches without waiting for the last answer, and yields them in order once prepared', async () => {
    const answers: Array<(batch: number | undefined) => void> = [];
    const take = () => new Promise<number | undefined>((resolve) => answers.push(resolve));
    const prepared: number[] = [];
    const batches = readAhead(take, (batch) => Promise.resolve(void prepared.push(batch)), 3);

    const first = batches.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toHaveLength(3); // a worker thread always has the next request queued

    answers[1](2);
    answers[0](1);
    expect(await first).toEqual({ done: false, value: 1 });
    expect(answers).toHaveLength(4); // one taken, one more asked for
    answers[2](undefined);
    answers[3](undefined);
    expect(await batches.next()).toEqual({ done: false, value: 2 });
    expect(await batches.next()).toEqual({ done: true, value: undefined });
    expect(prepared).toEqual([2, 1]);
  });
});

describe('readAheadDepth', () => {
  it('reads 4 batches ahead, fewer when they hold more than about 3 MB of the file, never none', () => {
    const mb = 1024 * 1024;
    expect(readAheadDepth(12 * mb, 50_000, 1000)).toBe(4); // ~250 B a row
    expect(readAheadDepth(48 * mb, 50_000, 1000)).toBe(3); // ~1 KB a row
    expect(readAheadDepth(50 * mb, 1_000, 1000)).toBe(1); // 50 KB a row
    expect(readAheadDepth(100, 0, 1000)).toBe(4); // a header alone
  });
});
