import { Writable } from 'node:stream';
import pino from 'pino';
import { JobScheduler } from '../../src/jobs/scheduler';

/** What the scheduler logs when a run fails: an outage is a warning (it passes), anything else an error. */
describe('JobScheduler', () => {
  function capture() {
    const lines: Array<{ level: number; msg: string; job?: string }> = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { lines, log: pino({ level: 'debug' }, stream) };
  }

  it('logs a run the database could not serve as a warning and any other failure as an error', async () => {
    const { lines, log } = capture();
    const unreachable = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const scheduler = new JobScheduler(
      [
        { name: 'outage', schedule: '* * * * * *', run: () => Promise.reject(unreachable) },
        { name: 'bug', schedule: '* * * * * *', run: () => Promise.reject(new TypeError('undefined is not a function')) },
      ],
      log,
    );
    await scheduler.trigger('outage');
    await scheduler.trigger('bug');
    await scheduler.stop();
    expect(lines.map(({ level, msg, job }) => ({ level, msg, job }))).toEqual([
      { level: 40, msg: 'job skipped: the database is unavailable', job: 'outage' },
      { level: 50, msg: 'job failed', job: 'bug' },
    ]);
  });
});
