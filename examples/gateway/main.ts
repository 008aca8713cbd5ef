// A gateway's plugins in one stack: authentication, access control, rate limiting, CORS, request
// rewriting and sessions on one route and its service, validated for the Kong the stack targets.
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import {
  KongGatewayProvider,
  PluginAcl,
  PluginCors,
  PluginCorrelationId,
  PluginKeyAuth,
  PluginRateLimiting,
  PluginRequestTransformer,
  type Backend,
  type KongGatewayProviderProps,
} from "cdktf-kong-gateway";

export interface GatewayStackOptions {
  /** @default "http://localhost:8001" */
  readonly serverUrl?: string;
  /** @default "terraform_data" */
  readonly backend?: Backend;
  /** @default "3.9" */
  readonly kongVersion?: string;
  /** @default "oss" */
  readonly edition?: KongGatewayProviderProps["edition"];
}

/** Ids the example's variables default to; `npm start` creates these in the emulator. */
export const GATEWAY_ROUTE_ID = "5d0c7b3e-2a41-4c6f-9e8d-7b1a2c3d4e5f";
export const GATEWAY_SERVICE_ID = "8e2f4a6c-1b3d-4f5e-a7c9-0d2e4f6a8b1c";

export class GatewayStack extends TerraformStack {
  readonly rateLimiting: PluginRateLimiting;

  constructor(scope: Construct, id: string, options: GatewayStackOptions = {}) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" });
    new KongGatewayProvider(this, "kong", {
      serverUrl: options.serverUrl ?? "http://localhost:8001",
      backend: options.backend ?? "terraform_data",
      kongVersion: options.kongVersion ?? "3.9",
      edition: options.edition ?? "oss",
    });
    const route = { id: new TerraformVariable(this, "route_id", { type: "string", default: GATEWAY_ROUTE_ID }).stringValue };
    const service = { id: new TerraformVariable(this, "service_id", { type: "string", default: GATEWAY_SERVICE_ID }).stringValue };

    new PluginKeyAuth(this, "key_auth", { route, config: { keyNames: ["apikey"], hideCredentials: true } });
    new PluginAcl(this, "acl", { route, config: { allow: ["payments-clients"], hideGroupsHeader: true } });
    this.rateLimiting = new PluginRateLimiting(this, "rate_limiting", {
      service,
      config: { minute: 60, hour: 1000, policy: "local", limitBy: "consumer" },
    });
    new PluginCors(this, "cors", {
      route,
      config: { origins: ["https://app.example.com"], methods: ["GET", "POST"], credentials: true, maxAge: 3600 },
    });
    new PluginRequestTransformer(this, "request_transformer", {
      service,
      config: { add: { headers: ["x-gateway:kong"] }, remove: { headers: ["x-internal"] } },
    });
    new PluginCorrelationId(this, "correlation_id", { service, config: { headerName: "X-Request-ID", generator: "uuid#counter" } });
  }
}

if (require.main === module) {
  const app = new App();
  new GatewayStack(app, "gateway");
  app.synth();
}
