/**
 * The reaper's two lists of a provider's plugins, as Terraform strings: the previous list (its
 * triggers, read back from the state by its destroy-time provisioner) and the current one (literal
 * values of that provisioner's environment). Each list is cut into chunks, one environment variable
 * each, so no variable passes Linux's 128 KiB limit; the sizes are checked as plugins are added.
 */
import { functionsOf, type TerraformResource } from "./cdk.js";
import type { IConstruct } from "constructs";
import { MAX_ENV_TOTAL_BYTES, MAX_ENV_VALUE_BYTES, MAX_REAP_CHUNKS } from "../runtime/contract.js";
import type { ValidationIssue } from "../schema/validate.js";
import { escapeTemplate, isUnresolved } from "./tokens.js";

/** A plugin as the provider records it; `id` and `workspace` may be references, `owner` always is. */
export interface RegisteredPlugin {
  readonly path: string;
  readonly id: string;
  /** "" for none */
  readonly workspace: string;
  /** the identity resource: its id is the owner token */
  readonly owner: TerraformResource;
  /** Kong's plugin name */
  readonly name: string;
}

/** Room for one chunk: the variable's limit less its name and a margin. */
const CHUNK_BYTES = MAX_ENV_VALUE_BYTES - 8 * 1024;
/** The previous list gets two thirds of the environment, the current list the rest. */
const PREVIOUS_BYTES = Math.floor((MAX_ENV_TOTAL_BYTES * 2) / 3);
const CURRENT_BYTES = MAX_ENV_TOTAL_BYTES - PREVIOUS_BYTES;
/** What a reference may take once Terraform resolves it (a UUID is 36). */
const REFERENCE_BYTES = 64;

interface Entry {
  /** made at synth's end, when the owner's logical id is final */
  readonly previous: () => string;
  readonly previousBytes: number;
  readonly current: string;
  readonly currentBytes: number;
}

export class ReaperList {
  private readonly entries = new Map<string, Entry>();
  private previousBytes = 0;
  private currentBytes = 0;

  /** Adds a plugin; the problems when the lists would no longer fit (the plugin is then not added). */
  add(plugin: RegisteredPlugin): ValidationIssue[] {
    const path = literal(plugin.path);
    const id = value(plugin.owner, plugin.id);
    const workspace = value(plugin.owner, plugin.workspace);
    // the current list is literal (a destroy-time provisioner's own configuration): null for a reference
    const known = (field: string, text: { text: string; bytes: number }) => (isUnresolved(field) ? { text: "null", bytes: 4 } : text);
    const currentId = known(plugin.id, id);
    const currentWorkspace = known(plugin.workspace, workspace);
    const entry: Entry = {
      // the reference written out rather than as a token: a thousand tokens in one string cost cdktf's
      // tokenizer a scan of the rest of the string each
      previous: () => `[${path.text},${id.text},${workspace.text},"\${${plugin.owner.terraformResourceType}.${plugin.owner.friendlyUniqueId}.id}",${JSON.stringify(plugin.name)}]`,
      previousBytes: path.bytes + id.bytes + workspace.bytes + REFERENCE_BYTES + plugin.name.length + 11,
      current: `[${path.text},${currentId.text},${currentWorkspace.text}]`,
      currentBytes: path.bytes + currentId.bytes + currentWorkspace.bytes + 4,
    };
    const previousBytes = this.previousBytes + entry.previousBytes + 1;
    const currentBytes = this.currentBytes + entry.currentBytes + 1;
    if (previousBytes > PREVIOUS_BYTES || currentBytes > CURRENT_BYTES) {
      return [
        {
          code: "invalid_value",
          kongPath: [],
          propPath: "(plugin)",
          value: `${this.entries.size + 1} plugins`,
          message: `the provider's list of plugins must fit the environment of its reaper's provisioner (${Math.floor(PREVIOUS_BYTES / 1024)} KiB for the previous list, ${Math.floor(CURRENT_BYTES / 1024)} KiB for the current one; Linux limits a process's environment to 2 MiB): split the plugins over several KongGatewayProviders or stacks, or shorten the construct paths`,
        },
      ];
    }
    this.entries.set(plugin.path, entry);
    this.previousBytes = previousBytes;
    this.currentBytes = currentBytes;
    return [];
  }

  /** The reaper's triggers: `plugins_0`, `plugins_1`, … (at least `plugins_0`). */
  previousTriggers(): Record<string, string> {
    const chunks = this.chunks((e) => [e.previous(), e.previousBytes]);
    return Object.fromEntries(chunks.map((chunk, i) => [`plugins_${i}`, chunk]));
  }

  /** The current list, chunked. */
  currentChunks(): string[] {
    return this.chunks((e) => [e.current, e.currentBytes]);
  }

  private chunks(pick: (entry: Entry) => readonly [string, number]): string[] {
    const sorted = [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => pick(entry));
    const chunks: string[] = [];
    let items: string[] = [];
    let bytes = 2;
    for (const [text, size] of sorted) {
      if (items.length > 0 && bytes + size + 1 > CHUNK_BYTES) {
        chunks.push(`[${items.join(",")}]`);
        items = [];
        bytes = 2;
      }
      items.push(text);
      bytes += size + 1;
    }
    chunks.push(`[${items.join(",")}]`);
    if (chunks.length > MAX_REAP_CHUNKS) throw new Error(`internal error: ${chunks.length} reaper chunks, at most ${MAX_REAP_CHUNKS}`);
    return chunks;
  }
}

/** A literal string as a JSON string in a Terraform template, and its size once applied. */
function literal(text: string): { text: string; bytes: number } {
  const json = JSON.stringify(text);
  return { text: escapeTemplate(json), bytes: Buffer.byteLength(json, "utf8") };
}

/** A literal, or a reference that Terraform encodes as JSON when it resolves it. */
function value(scope: IConstruct, text: string): { text: string; bytes: number } {
  if (!isUnresolved(text)) return literal(text);
  return { text: functionsOf(scope).jsonencode(text), bytes: REFERENCE_BYTES };
}
