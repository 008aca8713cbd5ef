/**
 * The custom resources that carry the provisioners: `null_resource` (hashicorp/null) or the built-in
 * `terraform_data`. Both get a map of strings whose change replaces the resource.
 */
import { dataResource, nullProvider, nullResource, type DataResource, type IResolvable, type LocalExecProvisioner, type NullResource, type TerraformProvider, type TerraformResource } from "./cdk.js";
import type { Construct } from "constructs";
import { dependencyOn } from "./tokens.js";

/** Which Terraform resource type carries a plugin's provisioners. */
export type Backend = "null_resource" | "terraform_data";

export const BACKENDS: readonly Backend[] = ["null_resource", "terraform_data"];

export interface CustomResourceSpec {
  /**
   * Strings whose change replaces the resource; readable by provisioners as `self`. A lazy value
   * stands for the whole map when its keys are known only at synth's end.
   */
  readonly triggers: Record<string, string> | IResolvable;
  /**
   * Whether later changes of `triggers` are ignored: their first values stay in the state and the
   * resource is never replaced by a change (Terraform cannot ignore one key of `terraform_data`'s
   * dynamic `triggers_replace`: an index in `ignore_changes` ignores the whole attribute).
   */
  readonly ignoreTriggerChanges?: boolean;
  /**
   * `terraform_data` only: values kept in the state and updated in place (no replacement), readable by
   * destroy-time provisioners as `self.input.<key>`.
   */
  readonly input?: Record<string, string>;
  readonly provisioners: LocalExecProvisioner[];
  readonly dependsOn?: TerraformResource[];
  readonly provider?: TerraformProvider;
}

/** Creates the resource of the backend. */
export function customResource(scope: Construct, id: string, backend: Backend, spec: CustomResourceSpec): DataResource | NullResource {
  const ignoreChanges = spec.ignoreTriggerChanges ? [backend === "terraform_data" ? "triggers_replace" : "triggers"] : [];
  const meta = {
    // an empty list would be written as `"provisioner": []`, which Terraform refuses
    ...(spec.provisioners.length > 0 ? { provisioners: spec.provisioners } : {}),
    ...(ignoreChanges.length > 0 ? { lifecycle: { ignoreChanges } } : {}),
  };
  let resource: DataResource | NullResource;
  if (backend === "terraform_data") {
    resource = shareVersionCheck(dataResource(scope, id, { triggersReplace: spec.triggers, ...(spec.input ? { input: spec.input } : {}), ...meta }));
  } else {
    if (spec.input) throw new Error(`${id}: the null_resource backend has no input attribute`);
    resource = nullResource(scope, id, { triggers: spec.triggers, ...meta, ...(spec.provider ? { provider: spec.provider } : {}) });
  }
  // set here rather than passed in the config, which would make a token with a stack trace per dependency
  if (spec.dependsOn && spec.dependsOn.length > 0) resource.dependsOn = spec.dependsOn.map(dependencyOn);
  return resource;
}

/** One answer per app and check: the errors of a binary-version check, by command, constraint and hint. */
const versionChecks = new WeakMap<object, Map<string, string[]>>();

interface BinaryVersionCheck {
  readonly versionCommand: string;
  readonly versionConstraint: string;
  readonly hint?: string;
  validate(): string[];
}

/**
 * The framework's `terraform_data` checks at synth that Terraform is 1.4 or newer by running `terraform
 * version` once per resource: 2 N + 1 processes for N plugins, about 80 ms each and most of a synth.
 * The answer is the same for every resource of an app, so the resources of this library share one
 * run per app: the same check, and the same message on every resource when it fails. When the
 * framework stores its validations differently, nothing is shared and its own check runs unchanged.
 */
function shareVersionCheck(resource: DataResource): DataResource {
  const validations = (resource.node as unknown as { _validations?: unknown })._validations;
  if (!Array.isArray(validations)) return resource;
  const root = resource.node.root;
  for (let i = 0; i < validations.length; i++) {
    const check: unknown = validations[i];
    if (!isBinaryVersionCheck(check)) continue;
    validations[i] = {
      validate: (): string[] => {
        let answers = versionChecks.get(root);
        if (!answers) versionChecks.set(root, (answers = new Map()));
        const key = `${check.versionCommand}\n${check.versionConstraint}\n${check.hint ?? ""}`;
        let errors = answers.get(key);
        if (!errors) answers.set(key, (errors = check.validate()));
        return [...errors];
      },
    };
  }
  return resource;
}

function isBinaryVersionCheck(value: unknown): value is BinaryVersionCheck {
  const check = value as Partial<BinaryVersionCheck> | null;
  return (
    typeof check === "object" &&
    check !== null &&
    typeof check.versionCommand === "string" &&
    typeof check.versionConstraint === "string" &&
    typeof check.validate === "function"
  );
}

/** How a provisioner of the backend's resource reads one of its triggers. */
export function selfTrigger(backend: Backend, key: string): string {
  return backend === "terraform_data" ? `\${self.triggers_replace.${key}}` : `\${self.triggers.${key}}`;
}

/** The same, for a key the state may lack (a resource written by an earlier version): "" then. */
export function selfTriggerOrEmpty(backend: Backend, key: string): string {
  return `\${lookup(self.${backend === "terraform_data" ? "triggers_replace" : "triggers"}, "${key}", "")}`;
}

/**
 * The provider block the backend needs, added once per stack: `hashicorp/null` for `null_resource`,
 * nothing for `terraform_data`. An existing `null` provider block without alias at the stack's top level is
 * reused (this library's, or a prebuilt binding's `NullProvider`).
 */
export function backendProvider(scope: Construct, backend: Backend): TerraformProvider | undefined {
  if (backend !== "null_resource") return undefined;
  return nullProvider(scope);
}
