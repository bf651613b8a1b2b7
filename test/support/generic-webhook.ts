import type { TestApp } from './test-app';

export interface GenericWebhook {
  serviceId: string;
  /** The integration's id: webhooks go to /webhooks/<id>. */
  id: string;
  /** Its bearer secret. */
  secret: string;
}

/** A service and a GENERIC integration for it, made through the GraphQL API as an admin would. */
export async function createGenericWebhook(t: TestApp, name: string, slug = name.toLowerCase()): Promise<GenericWebhook> {
  const service = await t.gql<{ createService: { service: { id: string } } }>(`mutation($name: String!, $slug: String!) { createService(input: { name: $name, slug: $slug }) { service { id } } }`, {
    name,
    slug,
  });
  const serviceId = service.data!.createService.service.id;
  const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
    `mutation($s: ID!) { createIntegration(input: { name: "generic", vendor: GENERIC, serviceId: $s }) { integration { id } secret } }`,
    { s: serviceId },
  );
  return { serviceId, id: created.data!.createIntegration.integration.id, secret: created.data!.createIntegration.secret };
}
