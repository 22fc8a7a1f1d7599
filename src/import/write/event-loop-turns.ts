import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Hands out event-loop turns, one at a time and in order, to the CPU-heavy steps of imports: reading a batch, cleaning
 * a slice of it on the main thread, building a batch's statement. Several such steps are often ready together (queries
 * answering at once, batches prepared ahead); without turns they would run back to back while health probes wait.
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

  /**
   * A turn for a step inside a batch's transaction, on MySQL only. On SQLite a transaction must not span an
   * event-loop turn: its one connection would run other requests' writes inside it (and roll them back with it).
   */
  heavyStep(manager: EntityManager): Promise<void> {
    return manager.connection.options.type === 'mysql' ? this.next() : Promise.resolve();
  }
}
