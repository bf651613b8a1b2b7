import type { ManualClock } from '../../src/shared/clock';
import { startTwilioStandIn, type TwilioStandIn } from '../../scripts/support/twilio-standin';
import { startTestApp, type TestApp } from './test-app';

export const TWILIO = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'twilio-test-auth-token', fromNumber: '+15005550006' };

/** Settings that send SMS to the stand-in and push the jobs' own ticks out of the way (tests drive them). */
export function pagingConfig(twilio: TwilioStandIn): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM_NUMBER: TWILIO.fromNumber,
    TWILIO_API_BASE_URL: twilio.baseUrl,
    ESCALATION_SCHEDULE: '0 0 0 1 1 *',
    DELIVERY_SCHEDULE: '0 0 0 1 1 *',
    COMMUNICATION_SCHEDULE: '0 0 0 1 1 *',
  };
}

/**
 * The app wired to a Twilio stand-in (and any extra config), with the jobs' own ticks pushed out
 * of the way: tests drive escalation by moving the clock and run delivery through the scheduler.
 */
export async function startPagingApp(clock: ManualClock, config: Record<string, string> = {}): Promise<{ t: TestApp; twilio: TwilioStandIn; close(): Promise<void> }> {
  const twilio = await startTwilioStandIn({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  const t = await startTestApp({
    clock,
    config: { ...pagingConfig(twilio), ...config },
  });
  return {
    t,
    twilio,
    async close() {
      await t.close();
      await twilio.close();
    },
  };
}
