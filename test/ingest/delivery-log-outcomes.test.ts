import { outcomeOf } from '../../src/ingest/delivery-log';
import { IntegrationDeliveryChannel, IntegrationDeliveryOutcome } from '../../src/schema/enums';

const { WEBHOOK, OPSGENIE, EMAIL } = IntegrationDeliveryChannel;
const { ACCEPTED, DUPLICATE, REJECTED, RATE_LIMITED, UNAUTHORIZED, FAILED } = IntegrationDeliveryOutcome;

describe('delivery log outcomes', () => {
  it.each([
    [WEBHOOK, 202, {}, ACCEPTED],
    [WEBHOOK, 202, { duplicate: true }, DUPLICATE],
    [WEBHOOK, 400, { reason: 'malformed_body' }, REJECTED],
    [WEBHOOK, 413, { reason: 'body_too_large' }, REJECTED],
    [WEBHOOK, 401, { reason: 'unauthorized' }, UNAUTHORIZED],
    [WEBHOOK, 403, { reason: 'bad_signature' }, UNAUTHORIZED],
    [WEBHOOK, 403, { reason: 'integration_disabled' }, REJECTED],
    [OPSGENIE, 401, { reason: 'integration_disabled' }, REJECTED],
    [WEBHOOK, 401, {}, UNAUTHORIZED],
    [WEBHOOK, 429, { reason: 'rate_limited' }, RATE_LIMITED],
    [WEBHOOK, 503, { reason: 'schema_violation' }, FAILED],
    [EMAIL, 250, {}, ACCEPTED],
    [EMAIL, 450, { reason: 'rate_limited' }, RATE_LIMITED],
    [EMAIL, 451, {}, FAILED],
    [EMAIL, 550, { reason: 'integration_disabled' }, REJECTED],
    [EMAIL, 552, { reason: 'message_too_large' }, REJECTED],
    [EMAIL, 554, { reason: 'schema_violation' }, REJECTED],
  ])('%s answered %i with %j is %s', (channel, statusCode, note, expected) => {
    expect(outcomeOf({ channel, statusCode }, note)).toBe(expected);
  });
});
