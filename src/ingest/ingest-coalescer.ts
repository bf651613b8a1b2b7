import type { IngestItem, IngestResult } from './alert-pipeline';

/** Batches that may always be in flight, however little waits. */
const ALWAYS_IN_FLIGHT = 2;

interface Pending {
  item: IngestItem;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

export interface CoalescerOptions {
  /** Batches committing at once; keeps the pool from being exhausted. */
  maxInFlight: number;
  /** Alerts in one batch (one statement, one transaction). */
  maxAlertsPerBatch: number;
  /**
   * Beyond two batches in flight, another starts only once this many alerts wait: a parallel
   * transaction costs a statement and a commit flush, and small requests are cheaper merged into
   * the next batch (measured: 1-alert requests faster at 2 in flight, 20-alert ones at 4).
   */
  alertsForExtraBatch: number;
  /**
   * …or once this many requests wait, however few alerts they carry: small requests would otherwise wait
   * for one of two slots while the server idles (measured: 1-alert requests +18 % at 8).
   */
  requestsForExtraBatch: number;
  /** Told when a batch of several requests fails and is retried request by request (it should be rare: say so loudly). */
  onBatchFailure?: (error: unknown, requests: number) => void;
}

export const DEFAULT_COALESCER_OPTIONS: CoalescerOptions = { maxInFlight: 4, maxAlertsPerBatch: 1000, alertsForExtraBatch: 64, requestsForExtraBatch: 8 };

/**
 * Coalesces concurrent ingest requests into batches: a request waits only while the batches in flight are busy,
 * so an idle server answers at once and a loaded one commits many requests per transaction.
 * Each request is answered only after the batch holding it has committed.
 */
export class IngestCoalescer {
  private queue: Pending[] = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: (items: IngestItem[]) => Promise<IngestResult[]>,
    private readonly options: CoalescerOptions = DEFAULT_COALESCER_OPTIONS,
  ) {}

  submit(item: IngestItem): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Resolves once nothing is queued or committing (graceful shutdown). */
  idle(): Promise<void> {
    if (!this.inFlight && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length && this.worthAnotherBatch()) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
        if (!this.inFlight && !this.queue.length) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }

  private worthAnotherBatch(): boolean {
    if (this.inFlight < ALWAYS_IN_FLIGHT || this.queue.length >= this.options.requestsForExtraBatch) return true;
    let waiting = 0;
    for (const pending of this.queue) {
      waiting += pending.item.alerts.length;
      if (waiting >= this.options.alertsForExtraBatch) return true;
    }
    return false;
  }

  private takeBatch(): Pending[] {
    let alerts = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || alerts + this.queue[count].item.alerts.length <= this.options.maxAlertsPerBatch)) {
      alerts += this.queue[count].item.alerts.length;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await this.run(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One request's failure must not fail the others: retry each on its own.
      try {
        this.options.onBatchFailure?.(error, batch.length);
      } catch {
        // Reporting must never keep the requests from being answered.
      }
      await Promise.all(
        batch.map(async (pending) => {
          try {
            pending.resolve((await this.run([pending.item]))[0]);
          } catch (itemError) {
            pending.reject(itemError);
          }
        }),
      );
    }
  }
}
