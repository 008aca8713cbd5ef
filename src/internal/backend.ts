/**
 * The custom resources that carry the provisioners: `null_resource` (hashicorp/null) or the built-in
 * `terraform_data`. Both get a map of strings whose change replaces the resource.
 */
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { DataResource, TerraformProvider, TerraformStack, type ITerraformDependable, type LocalExecProvisioner } from "cdktf";
import type { Construct } from "constructs";

/** Which Terraform resource type carries a plugin's provisioners. */
export type Backend = "null_resource" | "terraform_data";

export const BACKENDS: readonly Backend[] = ["null_resource", "terraform_data"];

export interface CustomResourceSpec {
  /** strings whose change replaces the resource; readable by provisioners as `self` */
  readonly triggers: Record<string, string>;
  readonly provisioners: LocalExecProvisioner[];
  readonly dependsOn?: ITerraformDependable[];
  readonly provider?: TerraformProvider;
}

/** Creates the resource of the backend. */
export function customResource(scope: Construct, id: string, backend: Backend, spec: CustomResourceSpec): DataResource | NullResource {
  const meta = {
    provisioners: spec.provisioners,
    ...(spec.dependsOn && spec.dependsOn.length > 0 ? { dependsOn: spec.dependsOn } : {}),
  };
  if (backend === "terraform_data") return new DataResource(scope, id, { triggersReplace: spec.triggers, ...meta });
  return new NullResource(scope, id, {
    triggers: spec.triggers,
    ...meta,
    ...(spec.provider ? { provider: spec.provider } : {}),
  });
}

/** How a provisioner of the backend's resource reads one of its triggers. */
export function selfTrigger(backend: Backend, key: string): string {
  return backend === "terraform_data" ? `\${self.triggers_replace.${key}}` : `\${self.triggers.${key}}`;
}

/**
 * The provider block the backend needs, added once per stack: `hashicorp/null` for `null_resource`,
 * nothing for `terraform_data`. An existing `NullProvider` at the stack's top level is reused.
 */
export function backendProvider(scope: Construct, backend: Backend): TerraformProvider | undefined {
  if (backend !== "null_resource") return undefined;
  const stack = TerraformStack.of(scope);
  const existing = stack.node.children.find(
    (child): child is NullProvider => child instanceof NullProvider && child.alias === undefined,
  );
  return existing ?? new NullProvider(stack, "null");
}
