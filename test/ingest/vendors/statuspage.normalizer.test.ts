import { normalize, fromFixture, type Body, bodyOf, schemaErrorOf } from './normalizer-fixtures';

describe('Statuspage normalizer', () => {
  const identified = 'statuspage/incident-identified.json';

  it('keys an incident by page and incident id and resolves it when the incident is resolved', () => {
    const [open] = fromFixture('STATUSPAGE', identified);
    const [resolved] = fromFixture('STATUSPAGE', 'statuspage/incident-resolved.json');
    expect(open).toMatchObject({ fingerprint: 'statuspage:jb7j80lkgqvb:incident:z3lct0r596n4', status: 'FIRING' });
    expect(resolved).toMatchObject({ fingerprint: open.fingerprint, status: 'RESOLVED', description: 'The database issue is resolved.' });
  });

  it.each([
    ['investigating', 'FIRING'],
    ['identified', 'FIRING'],
    ['monitoring', 'FIRING'],
    ['scheduled', 'FIRING'],
    ['in_progress', 'FIRING'],
    ['verifying', 'FIRING'],
    ['resolved', 'RESOLVED'],
    ['postmortem', 'RESOLVED'],
    ['completed', 'RESOLVED'],
  ])('maps incident status %s to %s', (status, expected) => {
    const body = bodyOf(identified);
    body.incident.status = status;
    expect(normalize('STATUSPAGE', body)[0].status).toBe(expected);
  });

  it('prefers impact_override over impact for severity', () => {
    expect(fromFixture('STATUSPAGE', 'statuspage/incident-critical-override.json')[0].severity).toBe('CRITICAL');
  });

  it('keys a component by page and component id and resolves it when operational', () => {
    const [outage] = fromFixture('STATUSPAGE', 'statuspage/component-under-maintenance.json');
    const [operational] = fromFixture('STATUSPAGE', 'statuspage/component-operational.json');
    expect(outage).toMatchObject({ fingerprint: 'statuspage:jb7j80lkgqvb:component:sqm6pl84wzjc', status: 'FIRING' });
    expect(operational).toMatchObject({ fingerprint: outage.fingerprint, status: 'RESOLVED' });
  });

  it.each([
    ['an unknown incident status', identified, (b: Body) => (b.incident.status = 'panicking'), 'incident.status'],
    ['a missing incident id', identified, (b: Body) => delete b.incident.id, 'incident.id'],
    ['a missing page id', identified, (b: Body) => delete b.page.id, 'page.id'],
    ['neither incident nor component update', identified, (b: Body) => delete b.incident, 'incident'],
    [
      'an unknown component status',
      'statuspage/component-under-maintenance.json',
      (b: Body) => (b.component_update.new_status = 'on_fire'),
      'component_update.new_status',
    ],
  ])('rejects %s with its path', (_name, fixture, mutate, expectedPath) => {
    const body = bodyOf(fixture);
    mutate(body);
    expect(schemaErrorOf(() => normalize('STATUSPAGE', body)).path).toBe(expectedPath);
  });
});
