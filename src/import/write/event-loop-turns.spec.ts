import { EventLoopTurns } from './event-loop-turns';

describe('EventLoopTurns', () => {
  it('runs steps in order, each in an event-loop turn of its own', async () => {
    const turns = new EventLoopTurns();
    const order: string[] = [];
    const step = async (name: string) => {
      await turns.next();
      order.push(name);
      // Runs in the next turn: before the next step if steps take turns, after all of them if they shared one.
      setImmediate(() => order.push(`next turn after ${name}`));
    };
    await Promise.all([step('a'), step('b'), step('c')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a', 'next turn after a', 'b', 'next turn after b', 'c', 'next turn after c']);
  });
});
