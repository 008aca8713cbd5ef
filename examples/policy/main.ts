// A gateway checked at synth by KongBestPractices, the policy rule pack: the orders API behind key-auth
// and a rate limiter shared by the Kong nodes, and a public health route whose finding is suppressed
// with the reason. `cdktf synth` fails on an error finding and prints the warnings.
import { App, Aspects, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { KongBestPractices, KongGatewayProvider, PluginKeyAuth, PluginRateLimiting, Route, Service, Upstream } from "cdktf-kong-gateway";

export class PolicyStack extends TerraformStack {
  readonly health: Route;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" });
    new KongGatewayProvider(this, "kong", { serverUrl: "http://localhost:8001", kongVersion: "3.9", edition: "oss" });

    // the orders service: its upstream's targets are checked passively, the upstream's certificate is verified
    new Upstream(this, "orders-upstream", { name: "orders.internal", healthchecks: { passive: { unhealthy: { httpFailures: 3, timeouts: 3 } } } });
    const orders = new Service(this, "orders", { name: "orders", url: "https://orders.internal:8443/v1", tlsVerify: true });
    new Route(this, "orders-api", { service: orders, name: "orders-api", paths: ["/orders"], protocols: ["https"] });
    new PluginKeyAuth(this, "orders-auth", { service: orders, config: { hideCredentials: true, keyInQuery: false } });
    new PluginRateLimiting(this, "orders-limits", { service: orders, config: { minute: 60, policy: "redis", redis: { host: "redis.internal" } } });

    // the load balancer's health check calls this route without credentials
    const status = new Service(this, "status", { name: "status", url: "https://status.internal/healthz", tlsVerify: true });
    const health = new Route(this, "health", { service: status, name: "health", paths: ["/healthz"], protocols: ["https"], methods: ["GET"] });
    KongBestPractices.suppress(health, [{ id: "KONG-ROUTE-1", reason: "the load balancer's health check calls it without credentials" }]);
    this.health = health;
  }
}

if (require.main === module) {
  const app = new App();
  // every stack of the app, checked for three Kong nodes
  Aspects.of(app).add(new KongBestPractices({ nodes: 3 }));
  new PolicyStack(app, "policy");
  app.synth();
}
