/**
 * The bundled apply-time program, copied into each stack once as a `TerraformAsset`, so the
 * synthesized stack is self-contained: Terraform needs only `node` where it runs.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { stackFileAsset, type TerraformAsset } from "./cdk.js";
import type { Construct } from "constructs";

export const RUNTIME_FILE = "kong-session.cjs";
const ASSET_ID = "kong-session-runtime";

/** Where the bundle is: beside the compiled library (dist/), or in dist/ when running from sources. */
export function runtimeBundlePath(): string {
  const candidates = [path.join(__dirname, "..", RUNTIME_FILE), path.join(__dirname, "..", "..", "dist", RUNTIME_FILE)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `the apply-time program ${RUNTIME_FILE} is missing (looked in ${candidates.join(", ")}); build the package with "npm run build"`,
    );
  }
  return found;
}

/** The stack's one copy of the program; its path is relative to the synthesized stack. */
export function runtimeAsset(scope: Construct): TerraformAsset {
  return stackFileAsset(scope, ASSET_ID, runtimeBundlePath);
}

/** Where a plugin's table of facts is: beside the compiled library's schema, or in the sources. */
export function pluginFactsPath(name: string): string {
  const file = path.join(__dirname, "..", "schema", "generated", "plugins", `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`the table of facts of the ${name} plugin is missing (${file}); build the package with "npm run build"`);
  }
  return file;
}

/**
 * The stack's one copy of a plugin's table of facts, for the apply-time program (which bundles no
 * table): only the plugins a stack uses are copied. Its path is relative to the synthesized stack.
 */
export function pluginFactsAsset(scope: Construct, name: string): TerraformAsset {
  return stackFileAsset(scope, `kong-plugin-facts-${name}`, () => pluginFactsPath(name));
}

const factsPaths = new WeakMap<TerraformAsset, string>();

/** The path of a plugin's table of facts as a provisioner's environment gets it: one token per stack and plugin kind. */
export function pluginFactsAssetPath(scope: Construct, name: string): string {
  const asset = pluginFactsAsset(scope, name);
  let assetPath = factsPaths.get(asset);
  if (assetPath === undefined) {
    assetPath = asset.path;
    factsPaths.set(asset, assetPath);
  }
  return assetPath;
}
