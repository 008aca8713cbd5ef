/**
 * The Terraform resources of one plugin, the same for every plugin construct: the identity resource
 * (created once, its id the owner token; its destroy deletes the plugin), the referenced-identity
 * resource (only for an id or workspace given by reference), the config resource (replaced on every
 * change; its creation writes the plugin), the request the apply-time program reads, the secrets
 * kept out of the triggers, and the synth-time checks Kong would make only at apply (one plugin per
 * scope, one per id, one per instance name).
 */
import { createHash, hash } from "node:crypto";
import { addWarning, functionsOf, localValue, type DataResource, type NullResource } from "./cdk.js";
import type { Construct } from "constructs";
import type { KongGatewayProvider } from "../kong-gateway-provider.js";
import { ENV, MAX_ENV_VALUE_BYTES, REQUEST_VERSION, type ApplyRequest, type RefPlaceholder } from "../runtime/contract.js";
import { WHOLE_WORD_BELOW } from "../runtime/log.js";
import type { KongTarget } from "../schema/engine/target.js";
import { valueAt, withValueAt, type ValidationIssue } from "../schema/validate.js";
import { isVaultReference } from "../schema/vault.js";
import { customResource, selfTrigger } from "./backend.js";
import { pluginFactsAssetPath } from "./runtime-asset.js";
import { attributeReference, escapeTemplate, extractRefs, isUnresolved } from "./tokens.js";

/** Namespace of the UUIDs derived from construct paths (UUID version 5, RFC 9562). */
const ID_NAMESPACE = "4c1d3c54-3a0f-5b5e-9c52-7d1f0b0a6c11";
const ID_NAMESPACE_BYTES = Buffer.from(ID_NAMESPACE.replace(/-/g, ""), "hex");

/**
 * The largest request the apply-time program can receive: Terraform passes it in one environment
 * variable, and Linux limits one `NAME=value` string to 128 KiB (MAX_ARG_STRLEN), its NUL included.
 */
const MAX_REQUEST_BYTES = MAX_ENV_VALUE_BYTES - ENV.request.length - 2;

/** Plugins already declared in an app, to find at synth what Kong would reject at apply. */
const claims = new WeakMap<Construct, Map<string, string>>();

/** What the resources of a plugin are made of. */
export interface PluginResourceSpec {
  /** Kong's plugin name */
  readonly pluginName: string;
  readonly pluginId: string;
  readonly workspace?: string;
  /** the construct names the id: it may take over a plugin another stack owns */
  readonly adopt: boolean;
  /** the Kong body, validated; references are cdktf tokens */
  readonly body: Record<string, unknown>;
  /** where the secrets of the body are (strings of encrypted or referenceable fields), in Kong's names and in props */
  readonly secretPaths: ReadonlyArray<{ readonly kongPath: ReadonlyArray<string | number>; readonly propPath: string }>;
  /** the Kong the body was validated for (the program validates again for it) */
  readonly target?: KongTarget;
  /**
   * How the program validates the body again: by the plugin's table of facts (a file it is given),
   * by the rules it has built in (the session plugin's), or not at all (a custom plugin: Kong does).
   */
  readonly rules: "facts" | "built-in" | "custom";
}

/** The resources of one plugin. */
export interface PluginResources {
  readonly identityResource: DataResource | NullResource;
  readonly configResource: DataResource | NullResource;
  readonly referencedIdentityResource?: DataResource | NullResource;
}

/**
 * Creates the resources of a plugin under `scope`.
 *
 * @param fail how the construct reports problems (its own error class)
 */
export function pluginResources(
  scope: Construct,
  provider: KongGatewayProvider,
  spec: PluginResourceSpec,
  fail: (issues: ValidationIssue[]) => Error,
): PluginResources {
  const { backend } = provider;
  // Created once per construct and never replaced: not by a new server URL, id or workspace (the
  // reaper deletes a plugin whose id or workspace the code no longer declares), so its id is a
  // stable owner token. Its destroy-time provisioner deletes the plugin the configuration declares:
  // literal values as they are now, references as the last apply resolved them (`input`).
  const identity: Record<string, string> = {
    plugin_id: spec.pluginId,
    workspace: spec.workspace ?? "",
    server_url: provider.serverUrl,
  };
  const referenced = Object.entries(identity).filter(([, value]) => isUnresolved(value));
  const identityResource = customResource(scope, "identity", backend, {
    triggers: Object.fromEntries(Object.entries(identity).map(([key, value]) => [key, escapeTemplate(value)])),
    ignoreTriggerChanges: true,
    ...(referenced.length > 0 && backend === "terraform_data" ? { input: Object.fromEntries(referenced) } : {}),
    provisioners: [
      provider.provisioner("delete", "destroy", {
        [ENV.pluginId]: atDestroy("plugin_id", identity.plugin_id!),
        [ENV.workspace]: atDestroy("workspace", identity.workspace!),
        [ENV.serverUrl]: atDestroy("server_url", identity.server_url!),
        [ENV.owner]: "${self.id}",
        [ENV.pluginName]: spec.pluginName,
      }),
    ],
  });
  const owner = attributeReference(identityResource, "id");

  // A referenced id or workspace is known only at apply: the reaper cannot tell when it changes.
  // This resource holds its resolved value and is replaced when it changes; its destroy-time
  // provisioner then deletes the plugin at the previous id and workspace, before the new one is written.
  let referencedIdentityResource: DataResource | NullResource | undefined;
  if (isUnresolved(identity.plugin_id) || isUnresolved(identity.workspace)) {
    referencedIdentityResource = customResource(scope, "referenced-identity", backend, {
      triggers: { plugin_id: identity.plugin_id!, workspace: identity.workspace!, owner },
      ...(isUnresolved(identity.server_url) ? { input: { server_url: identity.server_url! } } : {}),
      provisioners: [
        provider.provisioner("delete", "destroy", {
          [ENV.pluginId]: selfTrigger(backend, "plugin_id"),
          [ENV.workspace]: selfTrigger(backend, "workspace"),
          [ENV.serverUrl]: atDestroy("server_url", identity.server_url!),
          [ENV.owner]: selfTrigger(backend, "owner"),
          [ENV.pluginName]: spec.pluginName,
        }),
      ],
    });
  }

  // the secrets travel in the provisioner's environment only: Terraform logs the state's triggers
  const { secrets, body } = withoutSecrets(spec.body, spec.secretPaths);
  const { payload, refs } = extractRefs(scope, {
    version: REQUEST_VERSION,
    pluginId: spec.pluginId,
    workspace: spec.workspace ?? "",
    serverUrl: provider.serverUrl,
    path: scope.node.path,
    owner,
    ...(spec.adopt ? { adopt: true } : {}),
    ...(spec.target ? { target: { edition: spec.target.edition, version: spec.target.version } } : {}),
    ...(spec.rules === "custom" ? { custom: true } : {}),
    payload: withoutId(body),
  } satisfies ApplyRequest as unknown as Record<string, unknown>);
  const requestJson = JSON.stringify(payload);
  const requestBytes = Buffer.byteLength(requestJson, "utf8");
  if (requestBytes > MAX_REQUEST_BYTES) {
    // Terraform would fail at apply with "fork/exec /bin/sh: argument list too long"
    throw fail([
      {
        code: "invalid_value",
        kongPath: [],
        propPath: "(plugin)",
        value: `${(requestBytes / 1024).toFixed(1)} KiB`,
        message: `the configuration as JSON must fit in one environment variable of the apply-time program, at most ${MAX_REQUEST_BYTES} bytes (Linux's limit of 128 KiB per variable): shorten the longest values`,
      },
    ]);
  }
  const triggers: Record<string, string> = { request: escapeTemplate(requestJson) };
  const environment: Record<string, string> = { [ENV.request]: selfTrigger(backend, "request") };
  // a path of the configuration, not a trigger: a new table (another library version) re-writes nothing
  if (spec.rules === "facts") environment[ENV.facts] = pluginFactsAssetPath(scope, spec.pluginName);
  for (const [ref, value] of Object.entries(refs)) {
    triggers[`ref_${ref}`] = value;
    environment[`${ENV.refPrefix}${ref}`] = selfTrigger(backend, `ref_${ref}`);
  }
  const tooLong = secrets.flatMap(({ ref, value, path, propPath }) => {
    if (isUnresolved(value)) return [];
    const variable = `${ENV.refPrefix}${ref}`;
    const bytes = Math.ceil(Buffer.byteLength(value, "utf8") / 3) * 4 + variable.length + 2;
    if (bytes <= MAX_ENV_VALUE_BYTES) return [];
    return [
      {
        code: "invalid_value" as const,
        kongPath: path,
        propPath,
        value,
        message: `must fit in one environment variable of the apply-time program once base64-encoded, at most ${Math.floor(((MAX_ENV_VALUE_BYTES - variable.length - 2) * 3) / 4)} bytes (Linux's limit of 128 KiB per variable)`,
      },
    ];
  });
  if (tooLong.length > 0) throw fail(tooLong);
  if (secrets.length > 0) {
    // the trigger holds a digest, so a new secret still re-writes the plugin
    triggers.secret_sha256 = secretDigest(scope, spec.pluginId, secrets.map((s) => s.value));
    for (const { ref, value } of secrets) environment[`${ENV.refPrefix}${ref}`] = secretExpression(scope, ref, value);
  }
  const configResource = customResource(scope, "config", backend, {
    triggers,
    provisioners: [provider.provisioner("apply", "create", environment)],
    dependsOn: [identityResource, ...(referencedIdentityResource ? [referencedIdentityResource] : []), provider.reaper],
  });

  const registered = provider.registerPlugin({ path: scope.node.path, id: spec.pluginId, workspace: spec.workspace ?? "", owner: identityResource, name: spec.pluginName });
  if (registered.length > 0) throw fail(registered);
  return { identityResource, configResource, ...(referencedIdentityResource ? { referencedIdentityResource } : {}) };
}

/** The scopes of a plugin as Kong keys its uniqueness: one plugin of a name per combination. */
export interface PluginScope {
  readonly route?: ScopeReference;
  readonly service?: ScopeReference;
  readonly consumer?: ScopeReference;
  readonly consumerGroup?: ScopeReference;
}

/** A scope by id, or by the name Kong resolves (`{ name }`, a consumer's `{ username }`). */
interface ScopeReference {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly username?: unknown;
}

/**
 * Kong allows one plugin of a name per route/service/consumer/consumer group combination, one plugin
 * per id, one per instance name: the problems with the plugins declared before in the same app.
 *
 * @param scopes the scopes the plugin takes, as words for the message (`route/service` for session)
 */
export function claimPlugin(
  scope: Construct,
  provider: KongGatewayProvider,
  plugin: { readonly name: string; readonly id: string; readonly workspace?: string; readonly instanceName?: unknown; readonly scope: PluginScope; readonly scopes: readonly string[] },
): ValidationIssue[] {
  const root = scope.node.root;
  const taken = claims.get(root) ?? new Map<string, string>();
  claims.set(root, taken);
  const server = provider.serverUrl;
  const workspace = plugin.workspace ?? "default";
  const issues: ValidationIssue[] = [];
  // Kong's ids are UUIDs in any letter case, and stores them in lower case: one entity either way
  const uuidKey = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : "");
  // a scope named by an entity declared later, or not in the app: its name stands for it
  const refKey = (ref: ScopeReference | undefined) => (ref?.id !== undefined ? uuidKey(ref.id) : ref?.name !== undefined ? `name:${ref.name}` : ref?.username !== undefined ? `username:${ref.username}` : "");
  const given = (["route", "service", "consumer", "consumerGroup"] as const).filter((k) => refKey(plugin.scope[k]) !== "");
  const words: Record<string, string> = { route: "route", service: "service", consumer: "consumer", consumerGroup: "consumer group" };
  const where = given.map((k) => words[k]).join(" and ") || "global scope";
  const scopeKey = `scope|${server}|${workspace}|${plugin.name}|${(["route", "service", "consumer", "consumerGroup"] as const).map((k) => refKey(plugin.scope[k])).join("|")}`;
  const first = given[0];
  const keys: Array<[string, string, unknown, (other: string) => string]> = [
    [
      scopeKey,
      first ? `${first}.${plugin.scope[first]!.id !== undefined ? "id" : plugin.scope[first]!.name !== undefined ? "name" : "username"}` : "(plugin)",
      first ? (plugin.scope[first]!.id ?? plugin.scope[first]!.name ?? plugin.scope[first]!.username) : undefined,
      (other) =>
        `another ${plugin.name} plugin, "${other}", has the same ${where} in workspace "${workspace}"; Kong allows one ${plugin.name} plugin per ${plugin.scopes.join("/")} combination`,
    ],
    [`id|${server}|${uuidKey(plugin.id)}`, "id", plugin.id, (other) => `the plugin id is also used by "${other}"`],
  ];
  if (plugin.instanceName !== undefined) {
    keys.push([
      `name|${server}|${workspace}|${String(plugin.instanceName)}`,
      "instanceName",
      plugin.instanceName,
      (other) => `the instance name is also used by "${other}" in workspace "${workspace}"`,
    ]);
  }
  for (const [key, propPath, value, message] of keys) {
    const other = taken.get(key);
    if (other !== undefined) issues.push({ code: "conflict", kongPath: [], propPath, value, message: message(other) });
  }
  if (issues.length === 0) for (const [key] of keys) taken.set(key, scope.node.path);
  return issues;
}

/** A reference as the id or workspace needs `input`, which only terraform_data has. */
export function referencesNeedInput(props: { readonly id?: unknown; readonly workspace?: unknown }, backend: string): ValidationIssue[] {
  if (backend !== "null_resource") return [];
  return (["id", "workspace"] as const)
    .filter((key) => isUnresolved(props[key]))
    .map((key) => ({
      code: "invalid_value" as const,
      kongPath: [],
      propPath: key,
      value: props[key],
      message: `a reference needs the terraform_data backend, which keeps its value for the destroy-time provisioner in input (a null_resource has nowhere to keep it); set backend: "terraform_data" on the KongGatewayProvider, or give the ${key} literally`,
    }));
}

/**
 * Warns about the literal secrets of a plugin: one warning naming every field, and one per secret so
 * short that redaction cannot hide it safely.
 *
 * @param secrets each literal secret with its prop path (`config.secret`)
 */
export function warnAboutSecrets(
  scope: Construct,
  subject: string,
  secrets: ReadonlyArray<{ readonly propPath: string; readonly value: unknown }>,
  example: string,
  writtenInto = "the synthesized JSON (base64-encoded; never into Terraform's plans, state or logs)",
): void {
  const literal = secrets.filter((s): s is { propPath: string; value: string } => typeof s.value === "string" && !isUnresolved(s.value) && !isVaultReference(s.value));
  if (literal.length === 0) return;
  const fields = literal.map((s) => s.propPath).join(", ");
  addWarning(
    scope,
    `${fields} of ${subject} ${literal.length === 1 ? "is a literal string" : "are literal strings"}: written into ${writtenInto} and kept in your code; pass a sensitive TerraformVariable or a Kong vault reference (${example}) instead`,
  );
  for (const { propPath, value } of literal) {
    if ([...value].length < WHOLE_WORD_BELOW) {
      addWarning(
        scope,
        `${propPath} of ${subject} has fewer than ${WHOLE_WORD_BELOW} characters: output is redacted of it only where it stands as a whole word, and a secret this short is easy to guess; use at least 32 random characters`,
      );
    }
  }
}

/** How a destroy-time provisioner reads an identity field: the literal, or the reference as last applied. */
function atDestroy(key: string, value: string): string {
  return isUnresolved(value) ? `\${self.input.${key}}` : escapeTemplate(value);
}

/** The id travels in the URL (`PUT /plugins/{id}`), not in the body. */
export function withoutId(payload: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...body } = payload;
  return body;
}

/** The reference of the i-th secret of a plugin: `secret`, `secret_1`, … */
const secretRef = (i: number) => (i === 0 ? "secret" : `secret_${i}`);

/**
 * The body with each secret replaced by a placeholder (`{"$ref": "secret", "as": "base64"}`), and the
 * secrets (literals or references); vault references are not secrets and stay in the body.
 */
export function withoutSecrets(
  body: Record<string, unknown>,
  paths: PluginResourceSpec["secretPaths"],
  refOf: (i: number) => string = secretRef,
): { secrets: Array<{ ref: string; value: string; path: Array<string | number>; propPath: string }>; body: Record<string, unknown> } {
  const secrets: Array<{ ref: string; value: string; path: Array<string | number>; propPath: string }> = [];
  let out = body;
  for (const { kongPath: path, propPath } of paths) {
    const value = valueAt(out, path);
    if (typeof value !== "string" || isVaultReference(value)) continue;
    const ref = refOf(secrets.length);
    secrets.push({ ref, value, path: [...path], propPath });
    const placeholder: RefPlaceholder = { $ref: ref, as: "base64" };
    out = withValueAt(out, path, placeholder) as Record<string, unknown>;
  }
  return { secrets, body: out };
}

/**
 * A digest that changes with the secrets (salted with the plugin id), itself sensitive: plans show
 * `(sensitive value)`, so not even a guess at a weak secret can be checked against it. One secret:
 * sha256 of `<plugin id>:<secret>`; several: of `<plugin id>:<first>\n<second>…`.
 */
export function secretDigest(scope: Construct, pluginId: string, secrets: readonly string[]): string {
  const text = `${pluginId}:${secrets.join("\n")}`;
  if (!secrets.some(isUnresolved) && !isUnresolved(pluginId)) {
    return `\${sensitive("${createHash("sha256").update(text, "utf8").digest("hex")}")}`;
  }
  return functionsOf(scope).sha256(text);
}

/**
 * A secret as the provisioner's environment gets it, base64-encoded (any character fits an
 * environment variable so, a NUL too; the program decodes it): a reference through `base64encode()`
 * (Terraform keeps a sensitive variable's result sensitive); a literal through `sensitive()`, so that
 * Terraform hides it and the output of the run like a sensitive variable's, and so that a
 * configuration excerpt Terraform prints with an error does not show it in clear either. A literal
 * stands in a local value the environment refers to: the plan as JSON (`terraform show -json`) prints
 * the configuration's constant expressions, values and all, but neither locals nor what refers to them.
 */
export function secretExpression(scope: Construct, ref: string, secret: string): string {
  if (isUnresolved(secret)) return functionsOf(scope).base64encode(secret);
  return localValue(scope, `secret_${ref}`, `\${sensitive("${Buffer.from(secret, "utf8").toString("base64")}")}`);
}

/** A UUID (version 5) derived from the construct path and workspace (and namespace): the same on every synth. */
export function derivedId(path: string, workspace: string | undefined, namespace?: string): string {
  const scoped = workspace === undefined || isUnresolved(workspace) ? path : `${path}@${workspace}`;
  // without a namespace: the ids of cdktf-kong-gateway 0.1, unchanged
  const name = namespace === undefined ? scoped : `${namespace}\u0000${scoped}`;
  const digest = hash("sha1", Buffer.concat([ID_NAMESPACE_BYTES, Buffer.from(name, "utf8")]), "buffer");
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
