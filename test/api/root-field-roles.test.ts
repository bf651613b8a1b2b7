import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { buildGraphQLSchema } from '../../src/graphql/build-schema';
import { Role } from '../../src/schema/enums';

/**
 * The role every query, mutation and subscription needs. A new operation fails this test until its role is
 * declared here too, so nobody adds one without deciding who may call it (the behaviour of each role is
 * tested in auth.test.ts and with each module).
 */
const ROLE_OF: Record<string, Role> = {
  'Mutation.acknowledgeIncident': Role.RESPONDER,
  'Mutation.generateRca': Role.RESPONDER,
  'Mutation.updateRca': Role.RESPONDER,
  'Mutation.submitRca': Role.RESPONDER,
  'Mutation.publishRca': Role.ANALYST,
  'Query.rcaVersions': Role.VIEWER,
  'Query.incidentMetrics': Role.ANALYST,
  'Query.responderMetrics': Role.ANALYST,
  'Mutation.createAnalyticsLink': Role.ANALYST,
  'Query.compareRcaVersions': Role.VIEWER,
  'Mutation.openReview': Role.RESPONDER,
  'Mutation.updateReviewSection': Role.RESPONDER,
  'Mutation.submitReview': Role.RESPONDER,
  'Mutation.approveReview': Role.ANALYST,
  'Mutation.reopenReview': Role.ANALYST,
  'Mutation.createCauseCategory': Role.ADMIN,
  'Mutation.updateCauseCategory': Role.ADMIN,
  'Query.causeCategories': Role.VIEWER,
  'Subscription.reviewUpdated': Role.VIEWER,
  'Mutation.addContactMethod': Role.RESPONDER,
  'Mutation.addMitigationStep': Role.RESPONDER,
  'Mutation.addNotificationRule': Role.ADMIN,
  'Mutation.addScheduleLayer': Role.ADMIN,
  'Mutation.addTimelineNote': Role.RESPONDER,
  'Mutation.cancelMaintenance': Role.RESPONDER,
  'Mutation.completeMaintenance': Role.RESPONDER,
  'Mutation.createMaintenanceRecurrence': Role.RESPONDER,
  'Mutation.createStatusPage': Role.ADMIN,
  'Mutation.updateStatusPage': Role.ADMIN,
  'Mutation.deleteMaintenanceRecurrence': Role.RESPONDER,
  'Mutation.createApiToken': Role.ADMIN,
  'Mutation.createEscalationPolicy': Role.ADMIN,
  'Mutation.createIntegration': Role.ADMIN,
  'Mutation.createPerson': Role.ADMIN,
  'Mutation.createSchedule': Role.ADMIN,
  'Mutation.createScheduleOverride': Role.RESPONDER,
  'Mutation.createService': Role.ADMIN,
  'Mutation.createTask': Role.RESPONDER,
  'Mutation.createTeam': Role.ADMIN,
  'Mutation.declareIncident': Role.RESPONDER,
  'Mutation.deleteEscalationPolicy': Role.ADMIN,
  'Mutation.deleteSchedule': Role.ADMIN,
  'Mutation.deleteScheduleOverride': Role.RESPONDER,
  'Mutation.deleteTeam': Role.ADMIN,
  'Mutation.escalateIncident': Role.RESPONDER,
  'Mutation.extendMaintenance': Role.RESPONDER,
  'Mutation.markIncidentReviewed': Role.RESPONDER,
  'Mutation.mitigateIncident': Role.RESPONDER,
  'Mutation.postMaintenanceUpdate': Role.RESPONDER,
  'Mutation.postStatusUpdate': Role.RESPONDER,
  'Mutation.recordIncidentCall': Role.RESPONDER,
  'Mutation.removeContactMethod': Role.ADMIN,
  'Mutation.removeNotificationRule': Role.ADMIN,
  'Mutation.removeScheduleLayer': Role.ADMIN,
  'Mutation.removeStatusSubscriber': Role.ADMIN,
  'Mutation.replayDeadLetter': Role.ADMIN,
  'Mutation.resolveIncident': Role.RESPONDER,
  'Mutation.revokeApiToken': Role.ADMIN,
  'Mutation.rotateIntegrationSecret': Role.ADMIN,
  'Mutation.scheduleMaintenance': Role.RESPONDER,
  'Mutation.setServiceEscalationPolicy': Role.ADMIN,
  'Mutation.startMaintenance': Role.RESPONDER,
  'Mutation.updateApiToken': Role.ADMIN,
  'Mutation.updateCommunicationPolicy': Role.ADMIN,
  'Mutation.updateEscalationPolicy': Role.ADMIN,
  'Mutation.updateIncident': Role.RESPONDER,
  'Mutation.updateIntegration': Role.ADMIN,
  'Mutation.updateMaintenance': Role.RESPONDER,
  'Mutation.updateMaintenanceCalendar': Role.ADMIN,
  'Mutation.updateMaintenanceRecurrence': Role.RESPONDER,
  'Mutation.updateMitigationStep': Role.RESPONDER,
  'Mutation.updatePerson': Role.ADMIN,
  'Mutation.updateSchedule': Role.ADMIN,
  'Mutation.updateScheduleLayer': Role.ADMIN,
  'Mutation.updateService': Role.ADMIN,
  'Mutation.updateTask': Role.RESPONDER,
  'Mutation.updateTeam': Role.ADMIN,
  // post-incident review (#14)
  'Mutation.updateReviewSettings': Role.ADMIN,
  'Query.alerts': Role.VIEWER,
  'Query.apiTokens': Role.ADMIN,
  'Query.auditLog': Role.ADMIN,
  'Query.communicationPolicies': Role.VIEWER,
  'Query.deadLetters': Role.ADMIN,
  'Query.escalationPolicies': Role.VIEWER,
  'Query.escalationPolicy': Role.VIEWER,
  'Query.incident': Role.VIEWER,
  'Query.incidents': Role.VIEWER,
  'Query.integration': Role.ADMIN,
  'Query.integrations': Role.ADMIN,
  'Query.maintenanceCalendar': Role.VIEWER,
  'Query.tasks': Role.VIEWER,
  'Query.maintenanceRecurrences': Role.VIEWER,
  'Query.statusPages': Role.VIEWER,
  'Query.maintenanceWindow': Role.VIEWER,
  'Query.maintenanceWindows': Role.VIEWER,
  'Query.me': Role.VIEWER,
  'Query.people': Role.VIEWER,
  'Query.person': Role.VIEWER,
  'Query.schedule': Role.VIEWER,
  'Query.schedules': Role.VIEWER,
  'Query.service': Role.VIEWER,
  'Query.services': Role.VIEWER,
  'Query.shifts': Role.VIEWER,
  'Query.statusSubscribers': Role.ADMIN,
  'Query.team': Role.VIEWER,
  'Query.teams': Role.VIEWER,
  'Query.unauthenticatedWebhookCounts': Role.ADMIN,
  'Query.whoIsOnCall': Role.VIEWER,
  // post-incident review (#14)
  'Query.reviewSettings': Role.VIEWER,
  'Subscription.alertReceived': Role.VIEWER,
  'Subscription.communicationDue': Role.VIEWER,
  'Subscription.incidentCreated': Role.VIEWER,
  'Subscription.incidentUpdated': Role.VIEWER,
  'Subscription.onCallChanged': Role.VIEWER,
  'Subscription.scheduleUpdated': Role.VIEWER,
  'Subscription.maintenanceUpdated': Role.VIEWER,
  'Subscription.timelineEventAdded': Role.VIEWER,
};

describe('who may call each operation', () => {
  it('every query, mutation and subscription of the schema declares the role listed for it, and no other exists', async () => {
    const schema = await buildGraphQLSchema();
    const inSchema = (['Query', 'Mutation', 'Subscription'] as const).flatMap((kind) => Object.keys(schema.getRootType(kind.toLowerCase() as never)?.getFields() ?? {}).map((name) => `${kind}.${name}`));
    expect(inSchema.sort()).toEqual(Object.keys(ROLE_OF).sort());

    const storage = getMetadataStorage();
    const declared: Record<string, string> = {};
    for (const [kind, handlers] of [['Query', storage.queries], ['Mutation', storage.mutations], ['Subscription', storage.subscriptions]] as const) {
      for (const handler of handlers) {
        const authorized = storage.authorizedFields.find((entry) => entry.target === handler.target && entry.fieldName === handler.methodName);
        declared[`${kind}.${handler.schemaName}`] = authorized?.roles[0] ?? 'no @Authorized role';
      }
    }
    expect(declared).toEqual(ROLE_OF);
  });
});
