import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing, TerraformStack } from "cdktf";
import { KongGatewayProvider, type KongGatewayProviderProps } from "../../src/index.js";
import { maskRuntimeAssetHash } from "../../src/testing/snapshot.js";

/**
 * A fresh app and stack with a provider, as a user would write it. The suites that use it inspect the
 * per-resource layout's resources (two per plugin), so that layout is the default here; the sync
 * layout's synthesis has suites of its own (`sync-layout.test.ts`).
 */
export function stackWithProvider(props: KongGatewayProviderProps = { backend: "terraform_data" }, stackId = "payments") {
  const app = Testing.app();
  const stack = new TerraformStack(app, stackId);
  const provider = new KongGatewayProvider(stack, "kong", { layout: "per-resource", ...props });
  return { app, stack, provider };
}

/** The synthesized JSON of a stack, parsed. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** Synthesized JSON as text with the runtime bundle's content hash replaced, for snapshots. */
export function synthSnapshot(stack: TerraformStack): string {
  return maskRuntimeAssetHash(Testing.synth(stack));
}

/** The resources of one type in synthesized JSON, by logical id. */
export function resources(json: any, type = "terraform_data"): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The one resource whose logical id starts with `prefix`. */
export function resource(json: any, prefix: string, type = "terraform_data"): any {
  const matches = Object.entries(resources(json, type)).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${matches.map(([id]) => id).join(", ") || "none"}`);
  return matches[0]![1];
}

/** The request an apply provisioner would receive, with `$${` unescaped as Terraform would. */
export function applyRequest(configResource: any, triggersKey = "triggers_replace"): any {
  return JSON.parse(unescapeTemplate(configResource[triggersKey].request));
}

/**
 * The desired set the sync layout writes at synth (`assets/kong-sync-…/desired.json`), for the stack
 * `make` builds in a real `App` (Testing.synth writes no assets): its plugins by construct path, the
 * rest of the file, and the stack's `cdk.tf.json` as written beside it.
 */
export function desiredSet(make: (app: App) => TerraformStack): { request: any; plugins: Record<string, any>; tfJson: string } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-desired-"));
  try {
    const app = new App({ outdir });
    const stack = make(app);
    app.synth();
    const stackDir = path.join(outdir, "stacks", stack.node.id);
    const dirs = readdirSync(path.join(stackDir, "assets")).filter((name) => name.startsWith("kong-sync-"));
    if (dirs.length !== 1) throw new Error(`expected one desired set in ${stackDir}/assets, found ${dirs.length}`);
    const request = JSON.parse(readFileSync(path.join(stackDir, "assets", dirs[0]!, "desired.json"), "utf8"));
    const tfJson = readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
    return { request, plugins: Object.fromEntries(request.plugins.map((plugin: any) => [plugin.path, plugin])), tfJson };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function unescapeTemplate(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** The error `fn` throws; fails the test when it throws none. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

export { App };
