/** The explicit vendor → normalizer registry. */
import type { Normalizer } from '../normalized-alert';
import type { Vendor } from '../../shared/enums';
import { alertmanagerNormalizer } from './alertmanager.normalizer';
import { azureMonitorNormalizer } from './azure-monitor.normalizer';
import { emailNormalizer } from './email.normalizer';
import { genericNormalizer } from './generic.normalizer';
import { grafanaNormalizer } from './grafana.normalizer';
import { opsgenieNormalizer } from './opsgenie.normalizer';
import { sapAlertNotificationNormalizer } from './sap-alert-notification.normalizer';
import { statusFeedNormalizer } from './status-feed.normalizer';
import { statuspageNormalizer } from './statuspage.normalizer';
import { twilioNormalizer } from './twilio.normalizer';

export const NORMALIZERS: Readonly<Record<Vendor, Normalizer>> = {
  ALERTMANAGER: alertmanagerNormalizer,
  GRAFANA: grafanaNormalizer,
  AZURE_MONITOR: azureMonitorNormalizer,
  TWILIO: twilioNormalizer,
  SAP_ALERT_NOTIFICATION: sapAlertNotificationNormalizer,
  STATUSPAGE: statuspageNormalizer,
  GENERIC: genericNormalizer,
  OPSGENIE: opsgenieNormalizer,
  EMAIL: emailNormalizer,
  STATUS_FEED: statusFeedNormalizer,
};

export { createSapAlertNotificationNormalizer, type SapFieldMap } from './sap-alert-notification.normalizer';
