import type { NormalizedAlert } from './normalized-alert';

interface Entry {
  alerts: NormalizedAlert[];
  /** What the entry is charged against the budget: its key plus an estimate of the alerts it keeps alive. */
  cost: number;
}

/** The frozen alerts (and their row JSON, cached elsewhere per alert) take roughly this many times the body. */
const ALERT_COST_PER_BODY_CHAR = 3;

/**
 * The normalized alerts of bodies integrations sent recently. Monitors send the same body again and again
 * (Alertmanager every group_interval and repeat_interval, every vendor on retry), and parsing and
 * normalizing it was ~11 % of a request's CPU. Normalizers are pure functions of the body, so a repeated
 * body gives the same alerts; they are frozen, so nothing can change what a later request receives.
 * One budget for the whole process, least recently used first out. Entries belong to an integration
 * object: a changed integration (new options) is a new object, and its old entries simply age out.
 */
export class NormalizationMemo {
  private readonly entries = new Map<string, Entry>();
  private readonly ownerIds = new WeakMap<object, number>();
  private nextOwnerId = 1;
  private used = 0;

  constructor(
    /** Characters charged for all entries together (~2 bytes each). */
    private readonly budget = 16_000_000,
    /** Larger bodies are not kept (a big batch rarely repeats byte for byte). */
    private readonly maxBodyChars = 256_000,
  ) {}

  /** The alerts of an earlier identical body (frozen), if it is still remembered. */
  get(integration: object, body: string): NormalizedAlert[] | undefined {
    const owner = this.ownerIds.get(integration);
    if (owner === undefined) return undefined;
    const key = `${owner}:${body}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.alerts;
  }

  /** Keeps the alerts of a body that normalized; returns them frozen. */
  remember(integration: object, body: string, alerts: NormalizedAlert[]): NormalizedAlert[] {
    if (body.length > this.maxBodyChars) return alerts;
    let owner = this.ownerIds.get(integration);
    if (owner === undefined) {
      owner = this.nextOwnerId++;
      this.ownerIds.set(integration, owner);
    }
    const key = `${owner}:${body}`;
    const frozen = Object.freeze(alerts.map(freezeAlert)) as NormalizedAlert[];
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.used -= previous.cost;
    }
    const entry = { alerts: frozen, cost: key.length * (1 + ALERT_COST_PER_BODY_CHAR) };
    this.entries.set(key, entry);
    this.used += entry.cost;
    for (const [oldest, { cost }] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(oldest);
      this.used -= cost;
    }
    return frozen;
  }

  /** Characters charged now (for tests and metrics). */
  get charged(): number {
    return this.used;
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
