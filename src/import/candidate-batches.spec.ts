import { readAhead } from './candidate-batches';

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
