/**
 * cdktf runs the aspects of a stack and of the constructs inside it, not those of the app or of a
 * scope above the stack (the AWS CDK runs an app's aspects on every stack; cdktf's `invokeAspects`
 * starts at the stack). So that `Aspects.of(app).add(new KongBestPractices())` checks every stack as
 * it does with cdk-nag, each stack with a `KongGatewayProvider` carries one aspect that runs the
 * policy packs found above the stack over the stack's constructs.
 */
import type { IConstruct } from "constructs";
import { aspectsOf, type IAspect, type TerraformStack } from "./cdk.js";

/** The mark of a policy pack (`KongBestPractices`): the only aspects run from above a stack. */
export const POLICY_PACK = Symbol.for("cdktf-kong-gateway.policy-pack");

const bridged = new WeakSet<TerraformStack>();

/** Adds to the stack, once, the aspect that runs the policy packs of the scopes above it. */
export function runPolicyPacksAbove(stack: TerraformStack): void {
  if (bridged.has(stack)) return;
  bridged.add(stack);
  aspectsOf(stack).add({
    visit(node: IConstruct) {
      if (node !== stack) return;
      const packs = new Set(stack.node.scopes.slice(0, -1).flatMap((scope) => aspectsOf(scope).all.filter(isPolicyPack)));
      if (packs.size === 0) return;
      const nodes = stack.node.findAll();
      for (const pack of packs) for (const each of nodes) pack.visit(each);
    },
  });
}

function isPolicyPack(aspect: IAspect): boolean {
  return (aspect as unknown as Record<symbol, unknown>)[POLICY_PACK] === true;
}
