/**
 * The local Terraform state of a stack: the triggers of each config resource as the last apply wrote
 * them. That is what lets `diff` tell a change in the code (not applied yet) from a change made in
 * Kong by hand.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { isRefPlaceholder } from "../runtime/contract.js";
import { CliUsageError } from "./io.js";
import { isRecord } from "./plugin-values.js";
import { readJsonFile, type SynthStack } from "./stacks.js";

/** Where a stack's state is, and how that was decided. */
export interface StateLocation {
  readonly file: string;
  readonly source: "flag" | "backend" | "default";
}

/** The state of one stack. */
export interface StackState {
  readonly file: string;
  /** triggers by resource address (`terraform_data.session_config_9F4B457A`), as last applied */
  readonly triggers: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** the ids Terraform gave the resources, by address (a sync layout's owner resource: its owner token) */
  readonly ids: ReadonlyMap<string, string>;
}

/**
 * The state file of a stack: `--state`, else the local backend's `path` (relative to the stack
 * directory), else `terraform.tfstate` in the stack directory. Undefined when another backend
 * (remote state) is configured and no `--state` was given.
 */
export function stateLocation(stack: SynthStack, flag: string | undefined, cwd: string): StateLocation | undefined {
  if (flag !== undefined) return { file: path.resolve(cwd, flag), source: "flag" };
  const terraform = isRecord(stack.json.terraform) ? stack.json.terraform : {};
  const backend = isRecord(terraform.backend) ? terraform.backend : undefined;
  if (backend && Object.keys(backend).length > 0) {
    const local = isRecord(backend.local) ? backend.local : undefined;
    if (!local) return undefined;
    const file = typeof local.path === "string" ? local.path : "terraform.tfstate";
    return { file: path.resolve(stack.dir, file), source: "backend" };
  }
  return { file: path.resolve(stack.dir, "terraform.tfstate"), source: "default" };
}

/**
 * Reads a state file (format version 4). Undefined when it does not exist and was not asked for.
 *
 * @throws CliUsageError when the file was given with `--state` and is missing, or is not a state file
 */
export function readStackState(location: StateLocation): StackState | undefined {
  if (!existsSync(location.file)) {
    if (location.source === "flag") throw new CliUsageError(`the state file ${location.file} does not exist`);
    return undefined;
  }
  const state = readJsonFile(location.file);
  if (!isRecord(state) || typeof state.version !== "number" || !Array.isArray(state.resources ?? [])) {
    throw new CliUsageError(`${location.file} is not a Terraform state file`);
  }
  if (state.version !== 4) throw new CliUsageError(`${location.file} has state format version ${state.version}; this tool reads version 4`);
  const triggers = new Map<string, Record<string, string>>();
  const ids = new Map<string, string>();
  for (const resource of (state.resources ?? []) as unknown[]) {
    if (!isRecord(resource) || resource.mode !== "managed" || resource.module !== undefined) continue;
    const type = resource.type;
    if (type !== "terraform_data" && type !== "null_resource") continue;
    const instance = Array.isArray(resource.instances) ? resource.instances[0] : undefined;
    const attributes = isRecord(instance) && isRecord(instance.attributes) ? instance.attributes : undefined;
    if (!attributes) continue;
    if (typeof attributes.id === "string") ids.set(`${type}.${String(resource.name)}`, attributes.id);
    // null_resource: `triggers` is a map of strings; terraform_data: `triggers_replace` is a dynamic
    // value, stored as `{ "value": …, "type": … }`
    let value = type === "null_resource" ? attributes.triggers : attributes.triggers_replace;
    if (isRecord(value) && "value" in value && "type" in value) value = value.value;
    if (!isRecord(value)) continue;
    const strings = Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    triggers.set(`${type}.${String(resource.name)}`, strings);
  }
  return { file: location.file, triggers, ids };
}

/**
 * The payload of a request as last applied, with its references resolved from the `ref_<n>`
 * triggers the state holds; a reference whose value is not there stays a placeholder.
 */
export function resolveFromState(payload: unknown, triggers: Readonly<Record<string, string>>): unknown {
  if (isRefPlaceholder(payload)) {
    const raw = triggers[`ref_${payload.$ref}`];
    if (raw === undefined) return payload;
    if (payload.as === "string") return raw;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return payload;
    }
  }
  if (Array.isArray(payload)) return payload.map((item) => resolveFromState(item, triggers));
  if (isRecord(payload)) return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, resolveFromState(v, triggers)]));
  return payload;
}
