import type { IngestItem, IngestResult } from '../../src/ingest/alert-pipeline';
import { IngestCoalescer } from '../../src/ingest/ingest-coalescer';
import type { NormalizedAlert } from '../../src/ingest/normalized-alert';

/** A stand-in for the pipeline whose batches finish only when the test says so. */
function controlledRun() {
  const batches: Array<{ items: IngestItem[]; finish: () => void; fail: (error: Error) => void }> = [];
  const run = (items: IngestItem[]) =>
    new Promise<IngestResult[]>((resolve, reject) => {
      batches.push({
        items,
        finish: () => resolve(items.map((item) => ({ alertIds: item.alerts.map((alert) => alert.fingerprint), incidentIds: [], ignored: 0 }))),
        fail: reject,
      });
    });
  return { run, batches };
}

function item(fingerprint: string, alerts = 1): IngestItem {
  return {
    target: { integrationId: 'i', integrationName: 'n', serviceId: 's', options: {} },
    alerts: Array.from({ length: alerts }, (_, index) => ({ fingerprint: `${fingerprint}-${index}` }) as NormalizedAlert),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ingest coalescer', () => {
  it('sends a request at once when nothing is in flight, and answers it after its batch commits', async () => {
    const { run, batches } = controlledRun();
    const coalescer = new IngestCoalescer(run, { maxInFlight: 4, maxAlertsPerBatch: 1000, alertsForExtraBatch: 64, requestsForExtraBatch: 8 });
    let answered = false;
    const answer = coalescer.submit(item('a')).then((result) => ((answered = true), result));
    await tick();
    expect(batches).toHaveLength(1);
    expect(answered).toBe(false);
    batches[0].finish();
    expect((await answer).alertIds).toEqual(['a-0']);
  });

  it('keeps two batches in flight, and merges small requests into the next batch instead of opening more', async () => {
    const { run, batches } = controlledRun();
    const coalescer = new IngestCoalescer(run, { maxInFlight: 4, maxAlertsPerBatch: 1000, alertsForExtraBatch: 64, requestsForExtraBatch: 8 });
    const answers = ['a', 'b', 'c', 'd', 'e'].map((name) => coalescer.submit(item(name)));
    await tick();
    expect(batches.map((batch) => batch.items.length)).toEqual([1, 1]);
    batches[0].finish();
    await tick();
    expect(batches.map((batch) => batch.items.length)).toEqual([1, 1, 3]);
    batches[1].finish();
    batches[2].finish();
    expect((await Promise.all(answers)).map((result) => result.alertIds[0])).toEqual(['a-0', 'b-0', 'c-0', 'd-0', 'e-0']);
  });

  it('opens an extra batch once enough requests wait, however few alerts they carry', async () => {
    const { run, batches } = controlledRun();
    const coalescer = new IngestCoalescer(run, { maxInFlight: 4, maxAlertsPerBatch: 1000, alertsForExtraBatch: 64, requestsForExtraBatch: 8 });
    const answers = Array.from({ length: 12 }, (_, index) => coalescer.submit(item(`small${index}`)));
    await tick();
    // The 10th request makes 8 wait: they leave together; the last two wait until fewer than two batches run.
    expect(batches.map((batch) => batch.items.length)).toEqual([1, 1, 8]);
    batches[0].finish();
    await tick();
    expect(batches).toHaveLength(3);
    batches[1].finish();
    await tick();
    expect(batches.map((batch) => batch.items.length)).toEqual([1, 1, 8, 2]);
    batches.slice(2).forEach((batch) => batch.finish());
    expect(await Promise.all(answers)).toHaveLength(12);
  });

  it('opens extra batches, up to maxInFlight, once enough alerts wait', async () => {
    const { run, batches } = controlledRun();
    const coalescer = new IngestCoalescer(run, { maxInFlight: 4, maxAlertsPerBatch: 40, alertsForExtraBatch: 64, requestsForExtraBatch: 8 });
    const answers = Array.from({ length: 8 }, (_, index) => coalescer.submit(item(`big${index}`, 20)));
    await tick();
    expect(batches.map((batch) => batch.items.length)).toEqual([1, 1, 2, 2]);
    batches.forEach((batch) => batch.finish());
    await tick();
    batches.slice(4).forEach((batch) => batch.finish());
    expect(await Promise.all(answers)).toHaveLength(8);
  });

  it('retries each request of a failed batch on its own, so one bad request fails alone', async () => {
    const { run, batches } = controlledRun();
    const failures: Array<{ message: string; requests: number }> = [];
    const coalescer = new IngestCoalescer(run, {
      maxInFlight: 1,
      maxAlertsPerBatch: 1000,
      alertsForExtraBatch: 64,
      requestsForExtraBatch: 8,
      onBatchFailure: (error, requests) => failures.push({ message: (error as Error).message, requests }),
    });
    const first = coalescer.submit(item('first'));
    await tick();
    const good = coalescer.submit(item('good'));
    const bad = coalescer.submit(item('bad'));
    batches[0].finish();
    await first;
    await tick();
    batches[1].fail(new Error('batch failed'));
    await tick();
    const retries = batches.slice(2);
    expect(retries.map((batch) => batch.items[0].alerts[0].fingerprint)).toEqual(['good-0', 'bad-0']);
    retries[0].finish();
    retries[1].fail(new Error('bad request'));
    expect((await good).alertIds).toEqual(['good-0']);
    await expect(bad).rejects.toThrow('bad request');
    expect(failures).toEqual([{ message: 'batch failed', requests: 2 }]);
    await coalescer.idle();
  });

  it('answers every request of a failed batch even when reporting the failure throws', async () => {
    const { run, batches } = controlledRun();
    const coalescer = new IngestCoalescer(run, {
      maxInFlight: 1,
      maxAlertsPerBatch: 1000,
      alertsForExtraBatch: 64,
      requestsForExtraBatch: 8,
      onBatchFailure: () => {
        throw new Error('logger broke');
      },
    });
    const first = coalescer.submit(item('first'));
    await tick();
    const a = coalescer.submit(item('a'));
    const b = coalescer.submit(item('b'));
    batches[0].finish();
    await first;
    await tick();
    batches[1].fail(new Error('batch failed'));
    await tick();
    batches.slice(2).forEach((batch) => batch.finish());
    expect((await a).alertIds).toEqual(['a-0']);
    expect((await b).alertIds).toEqual(['b-0']);
  });
});
