/**
 * The sync layout's record of a provider's plugins: what one `sync` process makes Kong hold. Each
 * plugin adds an entry to the desired set (a file among the stack's assets, so no environment variable
 * bounds the stack), one key to the sync resource's triggers (its construct path, whose value changes
 * only when that plugin does: the plan names the plugins that change), and its references and
 * secrets to the sync provisioner's environment (one variable each, the only part that grows with
 * the stack in the environment, checked here).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import { functionsOf, type ISynthesisSession, type TerraformStack } from "./cdk.js";
import { ENV, MAX_ENV_TOTAL_BYTES, SYNC_VERSION, type RefPlaceholder, type SyncEntity, type SyncPlugin, type SyncRequest } from "../runtime/contract.js";
import type { KongTarget } from "../schema/engine/target.js";
import type { EntityFacts, PluginFacts } from "../schema/facts.js";
import { KongPluginValidationError, withValueAt, type ValidationIssue } from "../schema/validate.js";
import { secretDigest, secretExpression, withoutId, withoutSecrets } from "./plugin-resources.js";
import { escapeTemplate, extractRefs, isUnresolved } from "./tokens.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { namesAmong, SCOPE_KINDS } from "../schema/references.js";

/** What a resolved reference may take in the environment, at most (a UUID is 36). */
const REFERENCE_BYTES = 64;

/** One plugin as the sync layout records it. */
export interface SyncPluginSpec {
  readonly scope: Construct;
  readonly pluginName: string;
  readonly pluginId: string;
  readonly workspace?: string;
  readonly adopt: boolean;
  readonly custom: boolean;
  /** the validated Kong body; references are cdktf tokens */
  readonly body: Record<string, unknown>;
  readonly secretPaths: ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number>; readonly propPath: string }>;
  /** the plugin's table of facts, for a plugin validated by one */
  readonly facts?: PluginFacts;
}

/** One core entity as the sync layout records it. */
export interface SyncEntitySpec {
  readonly scope: Construct;
  readonly kind: string;
  readonly id: string;
  readonly workspace?: string;
  readonly adopt: boolean;
  /** the validated Kong body; references are cdktf tokens */
  readonly body: Record<string, unknown>;
  readonly secretPaths: ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number>; readonly propPath: string }>;
  readonly facts: EntityFacts;
}

export class SyncSet {
  private readonly plugins: SyncPlugin[] = [];
  private readonly entities: SyncEntity[] = [];
  private readonly entityFacts = new Map<string, EntityFacts>();
  private readonly triggersByPath = new Map<string, string>();
  private readonly environment: Record<string, string> = {};
  private readonly facts = new Map<string, PluginFacts>();
  private readonly workspaces = new Set<string>();
  private readonly referencedWorkspaces: string[] = [];
  private environmentBytes = 0;
  private refs = 0;
  private secrets = 0;

  /**
   * The desired set's file, relative to the stack's directory (where Terraform runs): among the
   * assets, which whoever moves a synthesized stack moves with `cdk.tf.json` (the program is there too).
   */
  readonly file: string;

  constructor(private readonly provider: Construct) {
    this.file = `assets/kong-sync-${provider.node.addr}/desired.json`;
  }

  /** Records a plugin; the problems when its references would not fit the environment (then nothing is recorded). */
  add(spec: SyncPluginSpec): ValidationIssue[] {
    return this.record(
      { scope: spec.scope, id: spec.pluginId, workspace: spec.workspace, body: spec.body, secretPaths: spec.secretPaths },
      () => ({
        code: "invalid_value",
        kongPath: [],
        propPath: "(plugin)",
        value: `${this.plugins.length + 1} plugins`,
        message: `the references and secrets of the provider's plugins must fit the environment of its sync provisioner (${Math.floor(MAX_ENV_TOTAL_BYTES / 1024)} KiB; Linux limits a process's environment to 2 MiB): split the plugins over several KongGatewayProviders or stacks`,
      }),
      (payload, filePayload) => {
        const entry: SyncPlugin = {
          path: spec.scope.node.path,
          id: payload.id as SyncPlugin["id"],
          workspace: payload.workspace as SyncPlugin["workspace"],
          ...(spec.adopt ? { adopt: true } : {}),
          ...(spec.custom ? { custom: true } : {}),
          payload: payload.payload as Record<string, unknown>,
        };
        this.plugins.push({ ...entry, payload: filePayload });
        if (spec.facts && spec.pluginName !== "session") this.facts.set(spec.pluginName, spec.facts);
        return entry;
      },
    );
  }

  /** Records an entity, as {@link add} a plugin. */
  addEntity(spec: SyncEntitySpec): ValidationIssue[] {
    return this.record(
      spec,
      () => ({
        code: "invalid_value",
        kongPath: [],
        propPath: "(entity)",
        value: `${this.plugins.length + this.entities.length + 1} plugins and entities`,
        message: `the references and secrets of the provider's plugins and entities must fit the environment of its sync provisioner (${Math.floor(MAX_ENV_TOTAL_BYTES / 1024)} KiB; Linux limits a process's environment to 2 MiB): split them over several KongGatewayProviders or stacks`,
      }),
      (payload, filePayload) => {
        const entry: SyncEntity = {
          kind: spec.kind,
          path: spec.scope.node.path,
          id: payload.id as SyncEntity["id"],
          workspace: payload.workspace as SyncEntity["workspace"],
          ...(spec.adopt ? { adopt: true } : {}),
          payload: payload.payload as Record<string, unknown>,
        };
        this.entities.push({ ...entry, payload: filePayload });
        this.entityFacts.set(spec.kind, spec.facts);
        return entry;
      },
    );
  }

  /**
   * What a plugin and an entity share: their references and referenced secrets take the environment
   * (checked against its bound first: nothing is recorded when they would not fit), a literal secret
   * goes in the desired file, and the trigger of its construct path is a digest of the entry.
   *
   * @param push records the entry (its file payload holds the literal secrets); returns the entry as the trigger digests it
   */
  private record(
    spec: { readonly scope: Construct; readonly id: string; readonly workspace?: string; readonly body: Record<string, unknown>; readonly secretPaths: SyncPluginSpec["secretPaths"] },
    tooMany: () => ValidationIssue,
    push: (payload: Record<string, unknown>, filePayload: Record<string, unknown>) => { readonly path: string },
  ): ValidationIssue[] {
    const { secrets, body } = withoutSecrets(spec.body, spec.secretPaths, (i) => `s${this.secrets + i}`);
    const nextRef = this.refs;
    let refCount = 0;
    const { payload, refs } = extractRefs(spec.scope, { id: spec.id, workspace: spec.workspace ?? "", payload: withoutId(body) }, () => `r${nextRef + refCount++}`);
    const environment: Record<string, string> = {};
    let bytes = 0;
    for (const [ref, value] of Object.entries(refs)) {
      environment[`${ENV.refPrefix}${ref}`] = value;
      bytes += ENV.refPrefix.length + ref.length + 2 + REFERENCE_BYTES;
    }
    // only referenced secrets take the environment (a literal one goes in the desired file, below)
    for (const { ref, value } of secrets) if (isUnresolved(value)) bytes += ENV.refPrefix.length + ref.length + 2 + REFERENCE_BYTES;
    if (this.environmentBytes + bytes > MAX_ENV_TOTAL_BYTES) return [tooMany()];
    // A literal secret goes in the desired file, like the rest of the literal configuration (the file
    // is not part of any plan or state): in the environment it would make Terraform hide the output of
    // every plugin's sync. A referenced one can only come through the environment, marked sensitive.
    let filePayload = payload.payload as Record<string, unknown>;
    for (const { ref, value, path: kongPath } of secrets) {
      if (isUnresolved(value)) environment[`${ENV.refPrefix}${ref}`] = secretExpression(spec.scope, ref, value);
      else filePayload = withValueAt(filePayload, kongPath, value) as Record<string, unknown>;
    }
    Object.assign(this.environment, environment);
    this.environmentBytes += bytes;
    this.refs += refCount;
    this.secrets += secrets.length;
    const entry = push(payload, filePayload);
    if (isUnresolved(spec.workspace ?? "")) this.referencedWorkspaces.push(spec.workspace!);
    else this.workspaces.add(spec.workspace ?? "");

    // the trigger: a digest of the entry (its secrets as placeholders), the references (Terraform
    // resolves them: a new value is a change) and, for secrets, a digest that is itself sensitive
    const digest = createHash("sha256").update(JSON.stringify(entry)).digest("hex").slice(0, 16);
    const parts = [digest, ...Object.values(refs)];
    if (secrets.length > 0) parts.push(secretDigest(spec.scope, spec.id, secrets.map((s) => s.value)));
    this.triggersByPath.set(entry.path, parts.join(" "));
    return [];
  }

  /** The sync resource's triggers: one key per plugin, its construct path. */
  triggers(): Record<string, string> {
    return Object.fromEntries(this.triggersByPath);
  }

  /** The references and secrets of every plugin, one environment variable each. */
  refEnvironment(): Record<string, string> {
    return { ...this.environment };
  }

  /** The workspaces of the plugins, as the teardown reads them: a JSON list ("" for none); references resolved by Terraform. */
  workspaceList(): string {
    const literal = [...this.workspaces].sort();
    return this.referencedWorkspaces.length === 0 ? escapeTemplate(JSON.stringify(literal)) : functionsOf(this.provider).jsonencode([...literal, ...this.referencedWorkspaces]);
  }

  /**
   * A reference by name to an entity of the set declared after the construct that names it becomes
   * its `{ id }` (one declared before already is); a name the set does not declare is left for the
   * sync to look up in Kong.
   */
  private resolveNames(): void {
    const resolve = namesAmong(this.entities.map((entity) => ({ ...entity, body: entity.payload })));
    const resolved = <T extends { readonly workspace?: unknown; payload: Record<string, unknown> }>(entry: T, foreign: Readonly<Record<string, string>>): T => ({
      ...entry,
      payload: resolve(entry.payload, entry.workspace, foreign),
    });
    this.plugins.splice(0, this.plugins.length, ...this.plugins.map((plugin) => resolved(plugin, SCOPE_KINDS)));
    this.entities.splice(0, this.entities.length, ...this.entities.map((entity) => resolved(entity, ENTITY_KIND_BY_NAME.get(entity.kind)!.foreign)));
    // Kong's one plugin of a name per scope, again: a name resolved here may be the scope another plugin
    // names by construct (the constructs checked every other pair)
    const scopes = new Map<string, string>();
    for (const plugin of this.plugins) {
      const ids = Object.keys(SCOPE_KINDS).map((scope) => {
        const id = (plugin.payload[scope] as { id?: unknown } | undefined)?.id;
        return typeof id === "string" ? id.toLowerCase() : JSON.stringify(plugin.payload[scope] ?? null);
      });
      const key = [plugin.workspace === "default" ? "" : String(plugin.workspace), String(plugin.payload.name), ...ids].join("|");
      const other = scopes.get(key);
      if (other !== undefined) {
        const name = String(plugin.payload.name);
        throw new KongPluginValidationError(`${name} plugin at "${plugin.path}"`, [
          {
            code: "conflict",
            kongPath: [],
            propPath: "(plugin)",
            value: undefined,
            message: `another ${name} plugin, "${other}", has the same scope in workspace "${plugin.workspace || "default"}" once its references by name are resolved; Kong allows one ${name} plugin per route/service/consumer/consumer group combination`,
          },
        ]);
      }
      scopes.set(key, plugin.path);
    }
  }

  /** Writes the desired set into the stack's directory. */
  write(session: ISynthesisSession, stack: TerraformStack, serverUrl: string | RefPlaceholder, target: KongTarget): void {
    this.resolveNames();
    const request: SyncRequest = {
      version: SYNC_VERSION,
      serverUrl,
      target: { edition: target.edition, version: target.version },
      plugins: this.plugins,
      facts: Object.fromEntries([...this.facts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      ...(this.entities.length > 0
        ? { entities: this.entities, entityFacts: Object.fromEntries([...this.entityFacts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) }
        : {}),
    };
    const file = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory, this.file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(request)}\n`);
  }
}
