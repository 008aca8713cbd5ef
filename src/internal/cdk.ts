/**
 * The one module that imports CDK for Terraform (`cdktf`) and its null provider binding: every other
 * file takes them from here, so that moving to the fork CDK Terrain (`cdktn`) changes this file only.
 */
export {
  Annotations,
  Aspects,
  AssetType,
  DataResource,
  Fn,
  Lazy,
  TerraformAsset,
  TerraformLocal,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  type IAspect,
  type IResolvable,
  type ISynthesisSession,
  type ITerraformDependable,
  type LocalExecProvisioner,
} from "cdktf";
export { NullProvider } from "@cdktf/provider-null/lib/provider";
export { Resource as NullResource } from "@cdktf/provider-null/lib/resource";

import type { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization, type ISynthesisSession as Session } from "cdktf";

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * A value with its tokens resolved from `scope` as cdktf writes them into `cdk.tf.json`
 * (`${var.route_id}`, `${terraform_data.x.id}`), by the resolver cdktf's own synth uses.
 */
export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: TOKEN_RESOLVER });
}

/**
 * Runs `write` when cdktf synthesizes the construct's stack, before it writes `cdk.tf.json`, with the
 * stack's output directory: cdktf's own hook for a construct's files (`addCustomSynthesis`, which it
 * does not export; the marker is the same symbol).
 */
export function onSynthesize(construct: IConstruct, write: (session: Session) => void): void {
  Object.defineProperty(construct, Symbol.for("cdktf/customSynthesis"), { value: { onSynthesize: write }, enumerable: false });
}
