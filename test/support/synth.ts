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
 * The sync layout's entries of a synthesized stack, by construct path: each plugin's trigger value
 * (its entry as JSON, then references and a secret digest, space-separated), the JSON part parsed.
 */
export function syncEntries(json: any): Record<string, any> {
  const [, sync] = Object.entries(resources(json)).find(([id]) => id.startsWith("kong_sync_")) ?? [];
  if (!sync) throw new Error("no sync resource in the synthesized stack");
  return Object.fromEntries(
    Object.entries(sync.triggers_replace as Record<string, string>)
      .filter(([key]) => key !== "(server url)")
      .map(([key, value]) => [key, leadingJson(unescapeTemplate(value))]),
  );
}

/** The JSON object a string starts with, before a space. */
function leadingJson(value: string): any {
  for (let end = value.indexOf("} "); end !== -1; end = value.indexOf("} ", end + 1)) {
    try {
      return JSON.parse(value.slice(0, end + 1));
    } catch {
      // a "} " inside a string of the JSON: look further
    }
  }
  return JSON.parse(value);
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
