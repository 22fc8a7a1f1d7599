/**
 * Sends due webhook deliveries, on every replica: each attempt is claimed with a conditional UPDATE (the attempt
 * count seen must still be there), so two replicas never send the same attempt. A claim pushes the next attempt past
 * the attempt's deadline: if the replica dies mid-send, another one tries again once that time has passed.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { nextAttemptAt } from './retry-schedule';
import { WebhookDelivery } from './webhook-delivery.entity';
import { SIGNATURE_HEADER, signature, WebhookSecrets } from './webhook-secrets';
import { ATTEMPT_TIMEOUT_MS, AttemptOutcome, WebhookSender } from './webhook-sender';
import { every } from '../common/every';

/** Deliveries one poll takes at most; the next poll takes the rest. */
const DUE_PER_POLL = 10;
/** An attempt still unfinished this long after its claim is taken for lost. */
const CLAIM_MS = ATTEMPT_TIMEOUT_MS * 3;
/** Finished deliveries are kept this long (for support questions), then deleted. */
export const KEEP_FINISHED_MS = 30 * 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

type Due = Pick<WebhookDelivery, 'id' | 'attempts' | 'firstAttemptAt'>;

@Injectable()
export class WebhookPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookPoller.name);
  private stopTimer?: () => void;
  private polling?: Promise<void>;
  private pollAgain = false;
  /** Aborted at shutdown: attempts in flight end at once (and are retried by another replica or the next start). */
  private readonly stopping = new AbortController();
  private lastPurge = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookSender,
  ) {}

  onApplicationBootstrap(): void {
    this.stopTimer = every(this.config.webhooks.pollIntervalMs, () => this.poll());
    this.poll();
  }

  /** Stops polling, cuts the attempts in flight short and lets them record that before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.stopTimer?.();
    await this.polling;
  }

  /** Looks for due deliveries now (one poll at a time; a request during a poll runs another right after it). */
  poll(): void {
    if (this.stopping.signal.aborted) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.sendDue().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.poll();
      }
    });
  }

  private async sendDue(): Promise<void> {
    try {
      const due: Due[] = await this.deliveries.find({
        select: { id: true, attempts: true, firstAttemptAt: true },
        where: { status: 'pending', nextAttemptAt: LessThanOrEqual(new Date()) },
        order: { nextAttemptAt: 'ASC' },
        take: DUE_PER_POLL,
      });
      // Settled, not all: a poll (and shutdown, which waits for it) ends only once every attempt has.
      const attempts = await Promise.allSettled(due.map((delivery) => this.attempt(delivery)));
      for (const failed of attempts.filter((result) => result.status === 'rejected')) {
        // Its claim lapses and the attempt is made again later.
        this.logger.error({ err: failed.reason as unknown }, 'A webhook attempt could not run or be recorded');
      }
      if (due.length === DUE_PER_POLL) this.pollAgain = true;
      await this.purgeFinished();
    } catch (error) {
      this.logger.error({ err: error }, 'Could not send due webhooks');
    }
  }

  private async attempt(due: Due): Promise<void> {
    const now = new Date();
    const attempt = due.attempts + 1;
    const firstAttemptAt = due.firstAttemptAt ?? now;
    const claim = await this.deliveries.update(
      { id: due.id, status: 'pending', attempts: due.attempts, nextAttemptAt: LessThanOrEqual(now) },
      { attempts: attempt, firstAttemptAt, lastAttemptAt: now, nextAttemptAt: new Date(now.getTime() + CLAIM_MS) },
    );
    if (claim.affected !== 1) return; // another replica took this attempt
    const delivery = await this.deliveries.findOneByOrFail({ id: due.id });
    const secret = await this.secrets.ensure(delivery.workspaceId);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Leadport-Webhooks/1.0',
      'X-Leadport-Event': delivery.event,
      'X-Leadport-Delivery': delivery.id,
      [SIGNATURE_HEADER]: signature(delivery.body, secret),
    };
    const outcome = await this.sender.post(delivery.url, delivery.body, headers, this.stopping.signal);
    await this.record(delivery, attempt, firstAttemptAt, outcome);
  }

  /** Writes the attempt's outcome, unless the attempt was taken for lost and claimed again meanwhile. */
  private async record(
    delivery: WebhookDelivery,
    attempt: number,
    firstAttemptAt: Date,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const now = new Date();
    const { statusCode: lastStatusCode, error } = outcome;
    const lastError = error?.slice(0, 500) ?? null;
    const next = outcome.delivered || !outcome.retry ? null : this.nextAttempt(attempt, firstAttemptAt, now);
    const where = { id: delivery.id, attempts: attempt };
    const context = { deliveryId: delivery.id, importId: delivery.importId, attempt, lastStatusCode };
    if (outcome.delivered) {
      await this.deliveries.update(where, { status: 'delivered', lastStatusCode, lastError, finishedAt: now });
      this.logger.log(context, 'Webhook delivered');
    } else if (next) {
      await this.deliveries.update(where, { nextAttemptAt: next, lastStatusCode, lastError });
      this.logger.warn({ ...context, error: lastError, nextAttemptAt: next }, 'Webhook not delivered; will retry');
    } else {
      await this.deliveries.update(where, { status: 'failed', lastStatusCode, lastError, finishedAt: now });
      this.logger.warn({ ...context, error: lastError }, 'Webhook failed; no more attempts');
    }
  }

  private nextAttempt(attempt: number, firstAttemptAt: Date, now: Date): Date | null {
    const { retryBaseMs: baseMs, retryWindowMs: windowMs } = this.config.webhooks;
    return nextAttemptAt(attempt, firstAttemptAt, now, { baseMs, windowMs });
  }

  /** Deletes deliveries finished more than KEEP_FINISHED_MS ago, by primary key (selected first), once an hour. */
  private async purgeFinished(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    const old = await this.deliveries.find({
      select: { id: true },
      where: { status: In(['delivered', 'failed']), finishedAt: LessThan(new Date(Date.now() - KEEP_FINISHED_MS)) },
      take: 1_000,
    });
    if (old.length > 0) await this.deliveries.delete({ id: In(old.map((delivery) => delivery.id)) });
  }
}
