import { Injectable } from '@nestjs/common';

/**
 * Hands out event-loop turns, one at a time and in order, to the import's CPU-heavy steps: cleaning a batch and
 * building a batch's SQL. With ten batches in flight, several such steps used to become ready in the same turn (when
 * their queries answered together) and ran back to back, holding the event loop for half a second while health
 * probes waited (docs/performance.md). Taking a turn each, a step runs alone and requests get in between steps.
 */
@Injectable()
export class EventLoopTurns {
  private last: Promise<void> = Promise.resolve();

  /**
   * Resolves at the start of an event-loop turn that no other step of the queue shares. The caller's synchronous
   * work up to its next `await` is the step.
   */
  next(): Promise<void> {
    const turn = this.last.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.last = turn;
    return turn;
  }
}
