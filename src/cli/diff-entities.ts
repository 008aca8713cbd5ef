/**
 * The core entities of `kong-gateway-cdktf diff`: each entity of a stack's desired set against the
 * live one (the apply-time program's own comparison, `entityChanges`), and what Kong holds with the
 * stack's owner tag that the code no longer declares (the next apply deletes it). Statuses as for
 * plugins, and `delete`:
 *   `+ create`, `~ update`, `= unchanged`, `! missing in Kong`, `! changed outside Terraform`,
 *   `- delete`  in Kong with this stack's owner tag, no longer in the code
 * "Missing" and "changed outside Terraform" need the stack's state: the entity's key of the sync
 * resource's triggers there equals the code's (the code did not change since the last apply).
 */
import type { KongAdminClient, KongEntity } from "../runtime/client.js";
import type { ConnectionOptions } from "../runtime/contract.js";
import { ownerTag, ownershipOf } from "../runtime/ownership.js";
import { entityChanges, expandedPayload, foreignId } from "../runtime/sync-entities.js";
import { collectionOf, ENTITY_KIND_BY_NAME, type EntityKind } from "../schema/entity-kinds.js";
import { resolveTarget, DEFAULT_TARGET } from "../schema/engine/target.js";
import { isRefPlaceholder } from "../runtime/contract.js";
import { entitySecretPaths } from "../schema/engine/validate-entity.js";
import { valueAt } from "../schema/validate.js";
import { containsPlaceholder, type FieldChange } from "./compare.js";
import type { DesiredEntity } from "./stacks.js";
import type { StackState } from "./state.js";

/** One entity's outcome, as `--json` prints it. */
export interface EntityDiff {
  readonly stack: string;
  /** the construct path; null for one in Kong that the code no longer declares */
  readonly path: string | null;
  /** Kong's DAO name of its kind, e.g. `services` */
  readonly kind: string;
  readonly id: string;
  readonly workspace: string | null;
  readonly serverUrl: string;
  readonly status: "create" | "update" | "unchanged" | "missing" | "drifted" | "delete";
  readonly changes: readonly FieldChange[];
  readonly knownAfterApply: readonly string[];
  readonly repair: string | null;
  readonly note: string | null;
}

/** How the diff reaches Kong for a stack's entities. */
export interface EntityDiffContext {
  readonly client: (serverUrl: string, connection: ConnectionOptions) => KongAdminClient;
  /** makes the desired entity's references by name the ids Kong stores */
  readonly resolveNames: (client: KongAdminClient, desired: DesiredEntity, kind: EntityKind) => Promise<void>;
  readonly serverUrlOf: (desired: unknown) => string | undefined;
  readonly addSecret: (value: unknown) => void;
}

/** The outcome of one declared entity, or why it was skipped. */
export async function diffEntity(desired: DesiredEntity, state: StackState | undefined, context: EntityDiffContext): Promise<EntityDiff | { skipped: string }> {
  const kind = ENTITY_KIND_BY_NAME.get(desired.kind);
  if (!kind) return { skipped: `an entity of a kind this tool does not know (${desired.kind})` };
  if (typeof desired.id !== "string") return { skipped: "the entity id is known only at apply" };
  if (typeof desired.workspace !== "string") return { skipped: "the workspace is known only at apply" };
  const serverUrl = context.serverUrlOf(desired.serverUrl);
  if (serverUrl === undefined) return { skipped: "the server URL is known only at apply" };
  const workspace = desired.workspace || undefined;
  const client = context.client(serverUrl, desired.connection);
  await context.resolveNames(client, desired, kind);
  const parent = kind.parent ? desired.payload[kind.parent] : undefined;
  if (kind.nestedOnly && (isRefPlaceholder(parent) || foreignId(parent) === undefined)) return { skipped: `the ${kind.parent} is known only at apply` };
  const live = await client.getEntity(collectionOf(kind, foreignId(parent)), workspace, desired.id);
  const applied = state?.triggers.get(desired.address)?.[desired.path];
  const pending = applied !== undefined && applied !== desired.syncTrigger?.value;
  const repair = `terraform apply -replace=${desired.address}`;
  const base = { stack: desired.stack, path: desired.path, kind: kind.name, id: desired.id, workspace: workspace ?? null, serverUrl };
  if (!live) {
    const missing = applied !== undefined && !pending;
    return { ...base, status: missing ? "missing" : "create", changes: [], knownAfterApply: [], repair: missing ? repair : null, note: null };
  }
  // values known only at apply (at any depth: a key's pem.private_key) are listed, not compared
  const knownAfterApply = Object.entries(desired.payload)
    .filter(([, value]) => containsPlaceholder(value))
    .map(([field]) => field)
    .sort();
  const body = Object.fromEntries(Object.entries(expandedPayload(kind, desired.payload)).filter(([field]) => !knownAfterApply.includes(field)));
  body.tags = live.tags;
  for (const field of kind.generated ?? []) if (body[field] === undefined) body[field] = live[field];
  // a field is a secret when a secret string stands in it, at any depth; every such string is redacted
  const index = resolveTarget(desired.target ?? DEFAULT_TARGET).dataIndex;
  const secrets = new Set<string>();
  for (const source of [desired.payload, live]) {
    for (const { kongPath } of entitySecretPaths(kind, desired.facts, source, index)) {
      secrets.add(String(kongPath[0]));
      context.addSecret(valueAt(source, kongPath));
    }
  }
  const names = entityChanges(kind, desired.facts, body, live, resolveTarget(desired.target ?? DEFAULT_TARGET)).filter((field) => !knownAfterApply.includes(field));
  const changes: FieldChange[] = names.map((field) => {
    if (secrets.has(field)) return { field, desired: "<redacted>", live: "<redacted>", secret: true };
    return { field, desired: body[field] ?? null, live: live[field] ?? null };
  });
  const note = ownershipNote(live, kind.what, state, desired.ownerAddress, desired.adopt);
  if (changes.length === 0) return { ...base, status: "unchanged", changes, knownAfterApply, repair: null, note };
  const drifted = applied !== undefined && !pending;
  return { ...base, status: drifted ? "drifted" : "update", changes, knownAfterApply, repair: drifted ? repair : null, note };
}

/** Why apply will refuse the live entity, when the state names the stack's owner token. */
function ownershipNote(live: KongEntity, what: string, state: StackState | undefined, ownerAddress: string | undefined, adopt: boolean): string | null {
  const owner = ownerAddress ? state?.ids.get(ownerAddress) : undefined;
  if (owner === undefined) return null;
  const ownership = ownershipOf(live.tags, owner);
  if (ownership.kind === "mine") return null;
  if (adopt) return ownership.kind === "other" ? `another stack manages the live ${what} (tag ${ownership.tag}): the construct names its id, so the next apply takes it over` : null;
  return ownership.kind === "other"
    ? `another stack manages the live ${what} (tag ${ownership.tag}): apply refuses to overwrite it unless the construct names its id`
    : `no stack manages the live ${what} (it carries no owner tag): apply refuses to overwrite it unless the construct names its id`;
}

/**
 * What Kong holds with the stack's owner tag (read from the state) and the code no longer declares:
 * the next apply deletes it. Plugins are left to the plugins' diff.
 */
export async function removedEntities(
  stack: string,
  declared: readonly DesiredEntity[],
  ownerToken: string,
  serverUrl: string,
  workspaces: ReadonlyArray<string | undefined>,
  client: KongAdminClient,
): Promise<EntityDiff[]> {
  // `default` is the workspace of unprefixed paths: one workspace either way
  const unprefixed = (workspace: string | undefined) => (workspace === "default" ? "" : (workspace ?? ""));
  const keep = new Set(declared.map((entity) => `${entity.kind} ${unprefixed(typeof entity.workspace === "string" ? entity.workspace : "")} ${String(entity.id).toLowerCase()}`));
  const found: EntityDiff[] = [];
  for (const workspace of [...new Set(workspaces.map(unprefixed))].map((w) => w || undefined)) {
    for (const row of (await client.tagged(workspace, ownerTag(ownerToken))) ?? []) {
      const kind = ENTITY_KIND_BY_NAME.get(row.kind);
      if (!kind || keep.has(`${kind.name} ${unprefixed(workspace)} ${row.id.toLowerCase()}`)) continue;
      found.push({
        stack,
        path: null,
        kind: kind.name,
        id: row.id,
        workspace: workspace ?? null,
        serverUrl,
        status: "delete",
        changes: [],
        knownAfterApply: [],
        repair: null,
        note: `in Kong with this stack's owner tag and no longer in the code: the next terraform apply deletes it`,
      });
    }
  }
  return found.sort((a, b) => (a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}
