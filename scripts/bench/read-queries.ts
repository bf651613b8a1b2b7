/**
 * The read queries of npm run bench:graphql, each as the frontend sends it and as one hand-written SQL statement
 * that builds the identical JSON in PostgreSQL (the bench checks they are equal before measuring).
 */

/** ISO-8601 in UTC with milliseconds, as the DateTime scalar serializes. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface ReadQuery {
  /** For BENCH_QUERIES. */
  key: string;
  name: string;
  /** What the frontend sends. */
  graphql: string;
  variables(ids: QueryIds): Record<string, unknown>;
  /** One statement returning one row with `body`, the whole answer as JSON text; parameters from `parameters`. */
  sql: string;
  parameters(ids: QueryIds): unknown[];
}

export interface QueryIds {
  incidentId: string;
  scheduleId: string;
  from: string;
  to: string;
}

const ACTOR = `json_build_object('type', e.actor_type, 'name', e.actor_name)`;

export const INCIDENT_LIST: ReadQuery = {
  key: 'list',
  name: 'incident list (50 with service, owner, last 5 timeline events)',
  graphql: `query IncidentList {
  incidents(first: 50) {
    totalCount
    pageInfo { hasNextPage }
    edges { node {
      id number title status priority openedAt
      service { id name }
      owner { id name }
      timeline(first: 5) { id kind at message actor { type name } }
    } }
  }
}`,
  variables: () => ({}),
  sql: `SELECT json_build_object('data', json_build_object('incidents', json_build_object(
      'totalCount', (SELECT count(*) FROM incident),
      'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > 50 FROM (SELECT 1 FROM incident LIMIT 51) more)),
      'edges', coalesce((SELECT json_agg(json_build_object('node', json_build_object(
          'id', i.id, 'number', i.number, 'title', i.title, 'status', i.status, 'priority', i.priority, 'openedAt', ${iso('i.opened_at')},
          'service', json_build_object('id', s.id, 'name', s.name),
          'owner', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END,
          'timeline', coalesce((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'at', ${iso('e.at')}, 'message', e.message, 'actor', ${ACTOR})
                                                ORDER BY e.at DESC, e.seq DESC)
                                  FROM (SELECT * FROM timeline_event WHERE incident_id = i.id ORDER BY at DESC, seq DESC LIMIT 5) e), '[]'::json)
        )) ORDER BY i.opened_at DESC, i.id DESC)
        FROM (SELECT * FROM incident ORDER BY opened_at DESC, id DESC LIMIT 50) i
        JOIN service s ON s.id = i.service_id
        LEFT JOIN person o ON o.id = i.owner_id), '[]'::json)
    )))::text AS body`,
  parameters: () => [],
};

export const INCIDENT_DETAIL: ReadQuery = {
  key: 'detail',
  name: 'incident detail (timeline, alerts, status updates, mitigation, escalation)',
  graphql: `query IncidentDetail($id: ID!) {
  incident(id: $id) {
    id number title description status priority openedAt acknowledgedAt resolvedAt
    service { id name slug }
    owner { id name email }
    impact { locations channels products description }
    timeline(first: 20) { id kind at message actor { type name } }
    alerts(first: 10) { totalCount edges { node { id fingerprint status severity summary occurrences } } }
    statusUpdates { id body audience postedAt }
    mitigationSteps { id description status temporary }
    escalation { state stepIndex }
  }
}`,
  variables: (ids) => ({ id: ids.incidentId }),
  sql: `SELECT json_build_object('data', json_build_object('incident', json_build_object(
      'id', i.id, 'number', i.number, 'title', i.title, 'description', i.description, 'status', i.status, 'priority', i.priority,
      'openedAt', ${iso('i.opened_at')}, 'acknowledgedAt', ${iso('i.acknowledged_at')}, 'resolvedAt', ${iso('i.resolved_at')},
      'service', json_build_object('id', s.id, 'name', s.name, 'slug', s.slug),
      'owner', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name, 'email', o.email) END,
      'impact', json_build_object('locations', to_json(i.impact_locations), 'channels', to_json(i.impact_channels),
                                  'products', to_json(i.impact_products), 'description', i.impact_description),
      'timeline', coalesce((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'at', ${iso('e.at')}, 'message', e.message, 'actor', ${ACTOR})
                                            ORDER BY e.at DESC, e.seq DESC)
                              FROM (SELECT * FROM timeline_event WHERE incident_id = i.id ORDER BY at DESC, seq DESC LIMIT 20) e), '[]'::json),
      'alerts', json_build_object(
        'totalCount', (SELECT count(*) FROM alert WHERE incident_id = i.id),
        'edges', coalesce((SELECT json_agg(json_build_object('node', json_build_object('id', a.id, 'fingerprint', a.fingerprint, 'status', a.status,
                                'severity', a.severity, 'summary', a.summary, 'occurrences', a.occurrences)) ORDER BY a.first_seen_at DESC, a.id DESC)
                             FROM (SELECT * FROM alert WHERE incident_id = i.id ORDER BY first_seen_at DESC, id DESC LIMIT 10) a), '[]'::json)),
      'statusUpdates', coalesce((SELECT json_agg(json_build_object('id', u.id, 'body', u.body, 'audience', u.audience, 'postedAt', ${iso('u.posted_at')})
                                                 ORDER BY u.posted_at DESC)
                                   FROM (SELECT * FROM status_update WHERE incident_id = i.id ORDER BY posted_at DESC LIMIT 200) u), '[]'::json),
      'mitigationSteps', coalesce((SELECT json_agg(json_build_object('id', m.id, 'description', m.description, 'status', m.status, 'temporary', m.temporary)
                                                   ORDER BY m.announced_at)
                                     FROM mitigation_step m WHERE m.incident_id = i.id), '[]'::json),
      'escalation', (SELECT json_build_object('state', x.state, 'stepIndex', x.step_index) FROM incident_escalation x WHERE x.incident_id = i.id)
    )))::text AS body
    FROM incident i JOIN service s ON s.id = i.service_id LEFT JOIN person o ON o.id = i.owner_id
   WHERE i.id = $1`,
  parameters: (ids) => [ids.incidentId],
};

/**
 * The follow-the-sun schedule of the seed (three daily layers restricted to 02–10, 10–18 and 18–02 UTC, two
 * backups): who is on call now and the week's shifts. The hand-written statement knows that shape; the server
 * resolves any schedule.
 */
export const ON_CALL_WEEK: ReadQuery = {
  key: 'oncall',
  name: 'whoIsOnCall + shifts for a week',
  graphql: `query OnCall($s: ID!, $at: DateTime!, $from: DateTime!, $to: DateTime!) {
  whoIsOnCall(scheduleId: $s, at: $at) { id name }
  shifts(scheduleId: $s, from: $from, to: $to) {
    shifts { start end person { id name } }
    gaps { start end }
  }
}`,
  variables: (ids) => ({ s: ids.scheduleId, at: ids.from, from: ids.from, to: ids.to }),
  sql: `WITH layer AS (
      SELECT l.id, p.person_id, (l.restrictions->0->>'start')::time AS opens
        FROM schedule_layer l JOIN schedule_layer_participant p ON p.layer_id = l.id AND p.position = 0
       WHERE l.schedule_id = $1
    ), piece AS (
      SELECT GREATEST(d + layer.opens, $2::timestamp) AS starts, LEAST(d + layer.opens + interval '8 hours', $3::timestamp) AS ends, layer.person_id
        FROM layer, generate_series(date_trunc('day', $2::timestamp) - interval '1 day', $3::timestamp, interval '1 day') AS d
    ), shift AS (
      SELECT * FROM piece WHERE ends > starts
    ), backup AS (
      SELECT p.id, p.name, b.position + 1 AS ord FROM schedule_backup b JOIN person p ON p.id = b.person_id WHERE b.schedule_id = $1
    )
    SELECT json_build_object('data', json_build_object(
      'whoIsOnCall', (SELECT json_agg(json_build_object('id', who.id, 'name', who.name) ORDER BY who.ord) FROM (
          SELECT p.id, p.name, 0 AS ord FROM shift JOIN person p ON p.id = shift.person_id WHERE shift.starts <= $2::timestamp AND shift.ends > $2::timestamp
          UNION ALL SELECT id, name, ord FROM backup) who),
      'shifts', json_build_object(
        'shifts', (SELECT json_agg(json_build_object('start', to_char(shift.starts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                     'end', to_char(shift.ends, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                     'person', json_build_object('id', p.id, 'name', p.name)) ORDER BY shift.starts)
                     FROM shift JOIN person p ON p.id = shift.person_id),
        'gaps', '[]'::json)
    ))::text AS body`,
  parameters: (ids) => [ids.scheduleId, ids.from.replace('Z', ''), ids.to.replace('Z', '')],
};

export const TYPENAME = `{ __typename }`;

export const READ_QUERIES: ReadQuery[] = [INCIDENT_LIST, INCIDENT_DETAIL, ON_CALL_WEEK];
