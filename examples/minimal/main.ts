// The smallest useful stack: one session plugin on one route, in open-source Kong or the default workspace.
import { App, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { KongGatewayProvider, PluginSession } from "cdktf-kong-gateway";

export class MinimalStack extends TerraformStack {
  readonly session: PluginSession;

  constructor(scope: Construct, id: string, serverUrl = "http://localhost:8001") {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" }); // relative: the synthesized stack holds no absolute path
    new KongGatewayProvider(this, "kong", { serverUrl, backend: "terraform_data" });
    this.session = new PluginSession(this, "session", {
      config: { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600 },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new MinimalStack(app, "minimal");
  app.synth();
}
