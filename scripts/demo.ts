// `npm start`: the whole flow with nothing else running. Starts the embedded Kong Admin API emulator,
// synthesizes the example apps (the session plugin's full example, and a whole gateway: services,
// routes, a consumer with a key-auth credential and four plugins), applies them with the real
// terraform, prints what Kong now holds (secrets masked), updates one plugin in place, and destroys them.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { KongEmulator } from "cdktf-kong-gateway/testing";
import { findTerraform, TerraformWorkdir, type TerraformResult } from "cdktf-kong-gateway/testing";
import { EXAMPLE_ROUTE_ID, EXAMPLE_SERVICE_ID, FullStack } from "../examples/full/main";
import { WholeGatewayStack, type WholeGatewayStackOptions } from "../examples/whole-gateway/main";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const terraform = await findTerraform();
  if (!terraform) {
    say("npm start needs the terraform binary (>= 1.4) on the PATH; none was found");
    return 1;
  }
  const token = randomBytes(16).toString("hex");
  const kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0", workspaces: ["team-payments"], adminToken: token });
  const outdir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-demo-"));
  const workdir = TerraformWorkdir.create({ binary: terraform.binary, env: { KONG_ADMIN_TOKEN: token } });
  // the consumer's key-auth key: a sensitive variable, never in the synthesized stack
  const consumerKey = randomBytes(24).toString("base64url");
  const gatewayWorkdir = TerraformWorkdir.create({ binary: terraform.binary, env: { KONG_ADMIN_TOKEN: token, TF_VAR_mobile_app_key: consumerKey } });
  try {
    say(`1. Kong Admin API emulator (Enterprise 3.15) listening on ${kong.url}, RBAC token required`);
    const service = kong.addService({ id: EXAMPLE_SERVICE_ID, name: "payments", workspace: "team-payments" });
    kong.addRoute({ id: EXAMPLE_ROUTE_ID, name: "payments-ws", protocols: ["ws", "wss"], service, workspace: "team-payments" });

    const gateway: WholeGatewayStackOptions = { serverUrl: kong.url, kongVersion: "3.15", edition: "enterprise" };
    const app = new App({ outdir });
    new FullStack(app, "full", { serverUrl: kong.url, backend: "terraform_data" });
    new WholeGatewayStack(app, "gateway", gateway);
    app.synth();
    say(`2. synthesized examples/full/main.ts and examples/whole-gateway/main.ts into ${path.join(outdir, "stacks")}`);

    workdir.load(path.join(outdir, "stacks", "full"));
    gatewayWorkdir.load(path.join(outdir, "stacks", "gateway"));
    say(`3. terraform ${terraform.version} apply:`);
    for (const [name, dir] of [["full", workdir], ["gateway", gatewayWorkdir]] as const) {
      check(await dir.init(), `terraform init (${name})`);
      const applied = check(await dir.apply(), `terraform apply (${name})`);
      for (const line of applied.stdout.split("\n").filter((l) => l.includes("(local-exec):") || l.startsWith("Apply complete"))) say(`   ${line.trim()}`);
      const plan = await dir.plan();
      say(`   terraform plan right after (${name}): ${plan.exitCode === 0 ? "no changes" : `exit ${plan.exitCode}`}`);
    }

    say("4. Kong now holds:");
    for (const kind of ["services", "routes", "consumers", "keyauth_credentials"] as const) {
      for (const entity of kong.entities(kind)) {
        const shown = kind === "keyauth_credentials" ? { ...entity, key: "<masked>" } : entity;
        say(`   ${kind}: ${JSON.stringify(shown)}`);
      }
    }
    for (const plugin of [...kong.plugins("team-payments"), ...kong.plugins("default")]) {
      const shown = { ...plugin, config: { ...plugin.config, secret: plugin.config.secret === undefined ? undefined : "<masked>" } };
      say(JSON.stringify(shown, null, 2).replace(/^/gm, "   "));
    }

    say("5. the orders API's rate limit from 60 to 120 a minute, in place:");
    const updated = new App({ outdir: mkdtempSync(path.join(tmpdir(), "kong-cdktf-demo-update-")) });
    new WholeGatewayStack(updated, "gateway", { ...gateway, ordersPerMinute: 120 });
    updated.synth();
    gatewayWorkdir.load(path.join(updated.outdir, "stacks", "gateway"));
    rmSync(updated.outdir, { recursive: true, force: true });
    kong.clearRequests();
    const changed = check(await gatewayWorkdir.apply(), "terraform apply (gateway, updated)");
    for (const line of changed.stdout.split("\n").filter((l) => l.startsWith("Apply complete"))) say(`   ${line.trim()}`);
    for (const request of kong.requests.filter((r) => r.method !== "GET")) say(`   Kong received ${request.method} ${request.path}`);
    const limits = kong.plugins("default").find((p) => p.name === "rate-limiting");
    say(`   rate-limiting now allows ${String(limits?.config.minute)} a minute; terraform plan right after: ${(await gatewayWorkdir.plan()).exitCode === 0 ? "no changes" : "changes"}`);

    say("6. terraform destroy:");
    for (const [name, dir] of [["full", workdir], ["gateway", gatewayWorkdir]] as const) {
      const destroyed = check(await dir.destroy(), `terraform destroy (${name})`);
      for (const line of destroyed.stdout.split("\n").filter((l) => l.includes("(local-exec):") || l.startsWith("Destroy complete"))) say(`   ${line.trim()}`);
    }
    const entitiesLeft = (["services", "routes", "consumers", "keyauth_credentials"] as const).reduce((n, kind) => n + kong.entities(kind).length, 0);
    say(`   plugins left in Kong: ${kong.plugins("team-payments").length + kong.plugins("default").length}; services, routes, consumers and credentials left: ${entitiesLeft}`);
    return 0;
  } catch (error) {
    say(`demo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    workdir.dispose();
    gatewayWorkdir.dispose();
    rmSync(outdir, { recursive: true, force: true });
    await kong.stop();
  }
}

function check(result: TerraformResult, what: string): TerraformResult {
  if (result.exitCode !== 0) throw new Error(`${what} exited ${result.exitCode}\n${result.stdout}\n${result.stderr}`);
  return result;
}

main().then((code) => {
  process.exitCode = code;
});
