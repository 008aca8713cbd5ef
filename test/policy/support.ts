import { Aspects, Testing, TerraformStack, type App } from "cdktf";
import type { IConstruct } from "constructs";
import { KongBestPractices, KongGatewayProvider, type KongBestPracticesProps, type KongGatewayProviderProps } from "../../src/index.js";

const LEVELS: Record<string, string> = { "@cdktf/error": "error", "@cdktf/warn": "warning", "@cdktf/info": "info" };

/** The pack's annotations under a scope (not the library's own warnings), as `<level> <message>`. */
export function annotations(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => LEVELS[m.type] !== undefined && /^\[(KONG-|KongBestPractices)/.test(String(m.data))).map((m) => `${LEVELS[m.type]} ${String(m.data)}`));
}

/**
 * GIVEN a stack "gw" with a provider (open-source Kong 3.9 unless told) and what `build` declares,
 * WHEN the pack checks it at synth (`Testing.synth`), THEN its findings.
 */
export function findings(
  build: (stack: TerraformStack, provider: KongGatewayProvider) => void,
  options: { readonly pack?: KongBestPracticesProps; readonly provider?: KongGatewayProviderProps } = {},
): string[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, "gw");
  const provider = new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss", ...options.provider });
  build(stack, provider);
  Aspects.of(stack).add(new KongBestPractices(options.pack));
  Testing.synth(stack);
  return annotations(stack);
}

/** The findings of one rule. */
export function ofRule(id: string, list: readonly string[]): string[] {
  return list.filter((finding) => finding.includes(`[${id}]`));
}

/** The findings of one rule for what `build` declares. */
export function findingsOf(id: string, build: Parameters<typeof findings>[0], options?: Parameters<typeof findings>[1]): string[] {
  return ofRule(id, findings(build, options));
}

export type { App };
