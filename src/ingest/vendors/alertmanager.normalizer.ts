/**
 * Prometheus Alertmanager webhook (payload version "4").
 * One NormalizedAlert per entry of `alerts[]`; identity is the alert's own `fingerprint`
 * (sha256 of the sorted labels when absent); alerts of one notification share its `groupKey`.
 */
import type { Normalizer } from '../normalized-alert';
import { normalizeAlertmanagerShape } from './alertmanager-shape';

const SUPPORTED_VERSIONS = ['4'] as const;

export const alertmanagerNormalizer: Normalizer = {
  vendor: 'ALERTMANAGER',
  accepts: ['json'],
  normalize: (request) => normalizeAlertmanagerShape(request.body, { versions: SUPPORTED_VERSIONS }),
};
