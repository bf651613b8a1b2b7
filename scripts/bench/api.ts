/** The setup the bench needs, done through the public GraphQL API like an operator would. */
export class BenchApi {
  constructor(
    private readonly url: string,
    private readonly adminToken: string,
  ) {}

  private async gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminToken}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (!response.ok || body.errors?.length || !body.data) {
      throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data;
  }

  async createService(name: string, slug: string): Promise<string> {
    const data = await this.gql<{ createService: { service: { id: string } } }>(
      `mutation($input: CreateServiceInput!) { createService(input: $input) { service { id } } }`,
      { input: { name, slug } },
    );
    return data.createService.service.id;
  }

  /** An Alertmanager integration of the service: its id (the webhook path) and its secret (shown once). */
  async createAlertmanagerIntegration(name: string, serviceId: string): Promise<{ id: string; secret: string }> {
    const data = await this.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { integration { id } secret } }`,
      // The bench measures throughput on one integration: lift its intake limit out of the way.
      { input: { name, vendor: 'ALERTMANAGER', serviceId, options: { rateLimitPerMinute: 1_000_000 } } },
    );
    return { id: data.createIntegration.integration.id, secret: data.createIntegration.secret };
  }
}
