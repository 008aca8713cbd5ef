// A whole gateway in one stack: two services, their routes, a consumer with a key-auth credential,
// and the plugins that guard them (key-auth, rate limiting, session, CORS), each referring to the
// others as constructs. Runs on open-source Kong 3.9 and on Kong Enterprise alike.
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import {
  Consumer,
  KeyAuth,
  KongGatewayProvider,
  PluginCors,
  PluginKeyAuth,
  PluginRateLimiting,
  PluginSession,
  Route,
  Service,
  type KongGatewayProviderProps,
} from "cdktf-kong-gateway";

export interface WholeGatewayStackOptions {
  /** @default "http://localhost:8001" */
  readonly serverUrl?: string;
  /** @default "3.9" */
  readonly kongVersion?: string;
  /** @default "oss" */
  readonly edition?: KongGatewayProviderProps["edition"];
  /** requests per minute and consumer on the orders API @default 60 */
  readonly ordersPerMinute?: number;
  /** the paths of the orders API @default ["/orders"] */
  readonly ordersPaths?: string[];
  /** whether the payments service, its route and its plugins are in the gateway @default true */
  readonly withPayments?: boolean;
}

export class WholeGatewayStack extends TerraformStack {
  readonly orders: Service;
  readonly ordersRoute: Route;
  readonly rateLimiting: PluginRateLimiting;

  constructor(scope: Construct, id: string, options: WholeGatewayStackOptions = {}) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" });
    new KongGatewayProvider(this, "kong", {
      serverUrl: options.serverUrl ?? "http://localhost:8001",
      kongVersion: options.kongVersion ?? "3.9",
      edition: options.edition ?? "oss",
    });

    this.orders = new Service(this, "orders", { name: "orders", url: "http://orders.internal:8080/v1", retries: 3 });
    this.ordersRoute = new Route(this, "orders_api", { service: this.orders, name: "orders-api", paths: options.ordersPaths ?? ["/orders"], methods: ["GET", "POST"] });

    // the credential's key comes from a sensitive variable: never in cdk.tf.json, plans or logs
    const key = new TerraformVariable(this, "mobile_app_key", { type: "string", sensitive: true });
    const mobileApp = new Consumer(this, "mobile_app", { username: "mobile-app" });
    new KeyAuth(this, "mobile_app_key_auth", { consumer: mobileApp, key: key.stringValue });

    new PluginKeyAuth(this, "orders_key_auth", { route: this.ordersRoute, config: { keyNames: ["apikey"], hideCredentials: true } });
    this.rateLimiting = new PluginRateLimiting(this, "orders_rate_limiting", {
      service: this.orders,
      config: { minute: options.ordersPerMinute ?? 60, policy: "local", limitBy: "consumer" },
    });
    if (options.withPayments !== false) {
      const payments = new Service(this, "payments", { name: "payments", host: "payments.internal", port: 8443, protocol: "https" });
      const paymentsRoute = new Route(this, "payments_api", { service: payments, name: "payments-api", paths: ["/payments"], protocols: ["https"] });
      new PluginSession(this, "payments_session", { route: paymentsRoute, config: { cookieName: "payments-session", cookieSecure: true } });
      new PluginCors(this, "payments_cors", { route: paymentsRoute, config: { origins: ["https://app.example.com"], methods: ["GET", "POST"], credentials: true } });
    }
  }
}

if (require.main === module) {
  const app = new App();
  new WholeGatewayStack(app, "whole-gateway");
  app.synth();
}
