// The reference page's full example of kong-gateway_plugin_session, every attribute, in TypeScript.
// Route and service ids come from variables, as they would from the resources that create them.
import { App, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { KongGatewayProvider, PluginSession, type Backend } from "cdktf-kong-gateway";

export interface FullStackOptions {
  /** @default "http://localhost:8001" */
  readonly serverUrl?: string;
  /** @default "terraform_data" */
  readonly backend?: Backend;
}

/** Ids the example's variables default to; `npm start` creates these in the emulator. */
export const EXAMPLE_ROUTE_ID = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
export const EXAMPLE_SERVICE_ID = "9c3b56e1-4d6a-4f8e-a1f2-6b3c2d1e0f9a";
export const EXAMPLE_PARTIAL_ID = "0b8f1a24-7c5d-4e3f-9a2b-1c4d5e6f7a8b";

export class FullStack extends TerraformStack {
  readonly session: PluginSession;

  constructor(scope: Construct, id: string, options: FullStackOptions = {}) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" }); // relative: the synthesized stack holds no absolute path
    new KongGatewayProvider(this, "kong", {
      serverUrl: options.serverUrl ?? "http://localhost:8001",
      backend: options.backend ?? "terraform_data",
    });
    const routeId = new TerraformVariable(this, "route_id", { type: "string", default: EXAMPLE_ROUTE_ID });
    const serviceId = new TerraformVariable(this, "service_id", { type: "string", default: EXAMPLE_SERVICE_ID });
    // Never a literal: a sensitive variable (TF_VAR_session_secret) or a vault reference.
    const secret = new TerraformVariable(this, "session_secret", {
      type: "string",
      sensitive: true,
      default: "{vault://env/kong-session-secret}",
    });

    this.session = new PluginSession(this, "my_pluginsession", {
      config: {
        absoluteTimeout: 3.79,
        audience: "my-application",
        bind: ["scheme"],
        cookieDomain: "example.com",
        cookieHttpOnly: false,
        cookieName: "my_session",
        cookiePath: "/app",
        cookieSameSite: "Strict",
        cookieSecure: false,
        hashSubject: true,
        idlingTimeout: 0.19,
        logoutMethods: ["GET"],
        logoutPostArg: "logout",
        logoutQueryArg: "logout",
        readBodyForLogout: false,
        remember: false,
        rememberAbsoluteTimeout: 4.46,
        rememberCookieName: "my_remember",
        rememberRollingTimeout: 6.15,
        requestHeaders: ["id"],
        responseHeaders: ["subject"],
        rollingTimeout: 8.85,
        secret: secret.stringValue,
        staleTtl: 7.29,
        storage: "cookie",
        storeMetadata: true,
      },
      createdAt: 1,
      enabled: false,
      id: "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b",
      instanceName: "my-instance-name",
      ordering: { after: { access: ["key-auth"] }, before: { access: ["rate-limiting"] } },
      partials: [{ id: EXAMPLE_PARTIAL_ID, name: "my-redis", path: "config.redis" }],
      protocols: ["wss"],
      route: { id: routeId.stringValue },
      service: { id: serviceId.stringValue },
      tags: ["team-payments", "managed-by:cdktf"],
      updatedAt: 4,
      workspace: "team-payments",
      condition: 'http.path ^= "/app"',
    });
    new TerraformOutput(this, "plugin_id", { value: this.session.pluginId });
  }
}

if (require.main === module) {
  const app = new App();
  new FullStack(app, "full");
  app.synth();
}
