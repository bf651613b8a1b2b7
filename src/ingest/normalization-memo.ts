import type { NormalizedAlert } from './normalized-alert';

interface IntegrationMemo {
  entries: Map<string, NormalizedAlert[]>;
  chars: number;
}

/**
 * The normalized alerts of bodies an integration sent recently. Monitors send the same body again and
 * again (Alertmanager every group_interval and repeat_interval, every vendor on retry), and parsing and
 * normalizing it was ~11 % of a request's CPU. Normalizers are pure functions of the body, so a repeated
 * body gives the same alerts; they are frozen, so nothing can change what a later request receives.
 * Memos hang off the integration object: a changed integration (new options) is a new object and starts empty.
 */
export class NormalizationMemo {
  private readonly byIntegration = new WeakMap<object, IntegrationMemo>();

  constructor(
    /** Body characters kept per integration; the oldest bodies go first. */
    private readonly maxCharsPerIntegration = 4_000_000,
    /** Larger bodies are not kept (a big batch rarely repeats byte for byte). */
    private readonly maxBodyChars = 256_000,
  ) {}

  /** The alerts of an earlier identical body (frozen), if it is still remembered. */
  get(integration: object, body: string): NormalizedAlert[] | undefined {
    return this.byIntegration.get(integration)?.entries.get(body);
  }

  /** Keeps the alerts of a body that normalized; returns them frozen. */
  remember(integration: object, body: string, alerts: NormalizedAlert[]): NormalizedAlert[] {
    if (body.length > this.maxBodyChars) return alerts;
    let memo = this.byIntegration.get(integration);
    if (!memo) {
      memo = { entries: new Map(), chars: 0 };
      this.byIntegration.set(integration, memo);
    }
    const frozen = Object.freeze(alerts.map(freezeAlert)) as NormalizedAlert[];
    if (!memo.entries.has(body)) memo.chars += body.length;
    memo.entries.set(body, frozen);
    for (const oldest of memo.entries.keys()) {
      if (memo.chars <= this.maxCharsPerIntegration) break;
      memo.entries.delete(oldest);
      memo.chars -= oldest.length;
    }
    return frozen;
  }
}

function freezeAlert(alert: NormalizedAlert): NormalizedAlert {
  return Object.freeze({
    ...alert,
    labels: Object.freeze({ ...alert.labels }),
    annotations: Object.freeze({ ...alert.annotations }),
    details: deepFreeze(structuredClone(alert.details)),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
