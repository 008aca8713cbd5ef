import { createHash, hash } from "node:crypto";
import { Annotations, Fn, type DataResource } from "cdktf";
import { Construct } from "constructs";
import type { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { customResource, selfTrigger } from "./internal/backend.js";
import { escapeTemplate, extractRefs, isUnresolved } from "./internal/tokens.js";
import { KongGatewayProvider } from "./kong-gateway-provider.js";
import { ENV, MAX_ENV_VALUE_BYTES, REQUEST_VERSION, type ApplyRequest, type RefPlaceholder } from "./runtime/contract.js";
import { WHOLE_WORD_BELOW } from "./runtime/log.js";
import { isVaultReference, validateAttributes, type PluginSessionAttributes } from "./schema/index.js";
import { PluginSessionValidationError, type ValidationIssue } from "./schema/validate.js";

export interface PluginSessionProps extends PluginSessionAttributes {
  /**
   * The Kong Admin API the plugin lives in.
   *
   * @default - the only `KongGatewayProvider` of the stack
   */
  readonly provider?: KongGatewayProvider;
}

/** Namespace of the UUIDs derived from construct paths (UUID version 5, RFC 9562). */
const ID_NAMESPACE = "4c1d3c54-3a0f-5b5e-9c52-7d1f0b0a6c11";
const ID_NAMESPACE_BYTES = Buffer.from(ID_NAMESPACE.replace(/-/g, ""), "hex");

/**
 * The largest request the apply-time program can receive: Terraform passes it in one environment
 * variable, and Linux limits one `NAME=value` string to 128 KiB (MAX_ARG_STRLEN), its NUL included.
 */
const MAX_REQUEST_BYTES = MAX_ENV_VALUE_BYTES - ENV.request.length - 2;

/** The reference that carries the session secret: never in the request, the triggers or the state's triggers. */
const SECRET_REF = "secret";

/** Plugins already declared in an app, to find at synth what Kong would reject at apply. */
const claims = new WeakMap<Construct, Map<string, string>>();

/**
 * Kong Gateway's session plugin (`kong-gateway_plugin_session`), validated at synth and provisioned
 * through the Kong Admin API at apply.
 *
 * @example
 * new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" });
 * new PluginSession(stack, "session", { config: { cookieName: "sid", cookieSameSite: "Lax" } });
 */
export class PluginSession extends Construct {
  /** The Kong plugin id: the `id` prop, or a UUID derived from the construct path; known at synth. */
  readonly pluginId: string;
  /** The workspace, or undefined for unprefixed Admin API paths (`default`). */
  readonly workspace?: string;
  readonly provider: KongGatewayProvider;
  /** The resource whose destroy deletes the plugin; created once, never replaced: its id is the plugin's owner token. */
  readonly identityResource: DataResource | NullResource;
  /** The resource whose creation writes the plugin; replaced on every configuration change. */
  readonly configResource: DataResource | NullResource;
  /**
   * Only when the id or workspace is a reference: the resource replaced when its resolved value
   * changes, whose destroy deletes the plugin at the previous id and workspace.
   */
  readonly referencedIdentityResource?: DataResource | NullResource;

  constructor(scope: Construct, id: string, props: PluginSessionProps = {}) {
    super(scope, id);
    const subject = `session plugin at "${this.node.path}"`;
    this.provider = props.provider ?? KongGatewayProvider.of(this, subject);
    this.workspace = props.workspace;

    const result = validateAttributes(props, isUnresolved);
    this.pluginId = props.id ?? derivedId(this.node.path, props.workspace, this.provider.idNamespace);
    const issues: ValidationIssue[] = [...result.issues, ...this.claim(props), ...referencesNeedInput(props, this.provider.backend)];
    if (issues.length > 0) throw new PluginSessionValidationError(subject, issues);
    this.warnAboutSecret(props.config?.secret, subject);

    const { backend } = this.provider;
    // Created once per construct and never replaced: not by a new server URL, id or workspace (the
    // reaper deletes a plugin whose id or workspace the code no longer declares), so its id is a
    // stable owner token. Its destroy-time provisioner deletes the plugin the configuration declares:
    // literal values as they are now, references as the last apply resolved them (`input`).
    const identity: Record<string, string> = {
      plugin_id: this.pluginId,
      workspace: this.workspace ?? "",
      server_url: this.provider.serverUrl,
    };
    const referenced = Object.entries(identity).filter(([, value]) => isUnresolved(value));
    this.identityResource = customResource(this, "identity", backend, {
      triggers: Object.fromEntries(Object.entries(identity).map(([key, value]) => [key, escapeTemplate(value)])),
      ignoreTriggerChanges: true,
      ...(referenced.length > 0 && backend === "terraform_data" ? { input: Object.fromEntries(referenced) } : {}),
      provisioners: [
        this.provider.provisioner("delete", "destroy", {
          [ENV.pluginId]: atDestroy("plugin_id", identity.plugin_id!),
          [ENV.workspace]: atDestroy("workspace", identity.workspace!),
          [ENV.serverUrl]: atDestroy("server_url", identity.server_url!),
          [ENV.owner]: "${self.id}",
        }),
      ],
    });
    const owner = this.identityResource.id;

    // A referenced id or workspace is known only at apply: the reaper cannot tell when it changes.
    // This resource holds its resolved value and is replaced when it changes; its destroy-time
    // provisioner then deletes the plugin at the previous id and workspace, before the new one is written.
    if (isUnresolved(identity.plugin_id) || isUnresolved(identity.workspace)) {
      this.referencedIdentityResource = customResource(this, "referenced-identity", backend, {
        triggers: { plugin_id: identity.plugin_id!, workspace: identity.workspace!, owner },
        ...(isUnresolved(identity.server_url) ? { input: { server_url: identity.server_url! } } : {}),
        provisioners: [
          this.provider.provisioner("delete", "destroy", {
            [ENV.pluginId]: selfTrigger(backend, "plugin_id"),
            [ENV.workspace]: selfTrigger(backend, "workspace"),
            [ENV.serverUrl]: atDestroy("server_url", identity.server_url!),
            [ENV.owner]: selfTrigger(backend, "owner"),
          }),
        ],
      });
    }

    // the secret travels in the provisioner's environment only: Terraform logs the state's triggers
    const { secret, payload: body } = withoutSecret(result.payload);
    const { payload, refs } = extractRefs({
      version: REQUEST_VERSION,
      pluginId: this.pluginId,
      workspace: this.workspace ?? "",
      serverUrl: this.provider.serverUrl,
      path: this.node.path,
      owner,
      ...(props.id !== undefined ? { adopt: true } : {}),
      payload: withoutId(body),
    } satisfies ApplyRequest as unknown as Record<string, unknown>);
    const requestJson = JSON.stringify(payload);
    const requestBytes = Buffer.byteLength(requestJson, "utf8");
    if (requestBytes > MAX_REQUEST_BYTES) {
      // Terraform would fail at apply with "fork/exec /bin/sh: argument list too long"
      throw new PluginSessionValidationError(subject, [
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
    for (const [ref, value] of Object.entries(refs)) {
      triggers[`ref_${ref}`] = value;
      environment[`${ENV.refPrefix}${ref}`] = selfTrigger(backend, `ref_${ref}`);
    }
    if (secret !== undefined && !isUnresolved(secret)) {
      const variable = `${ENV.refPrefix}${SECRET_REF}`;
      const bytes = Math.ceil(Buffer.byteLength(secret, "utf8") / 3) * 4 + variable.length + 2;
      if (bytes > MAX_ENV_VALUE_BYTES) {
        throw new PluginSessionValidationError(subject, [
          {
            code: "invalid_value",
            kongPath: ["config", "secret"],
            propPath: "config.secret",
            value: secret,
            message: `must fit in one environment variable of the apply-time program once base64-encoded, at most ${Math.floor(((MAX_ENV_VALUE_BYTES - variable.length - 2) * 3) / 4)} bytes (Linux's limit of 128 KiB per variable)`,
          },
        ]);
      }
    }
    if (secret !== undefined) {
      // the trigger holds a digest, so a new secret still re-writes the plugin
      triggers.secret_sha256 = secretDigest(this.pluginId, secret);
      environment[`${ENV.refPrefix}${SECRET_REF}`] = secretExpression(secret);
    }
    this.configResource = customResource(this, "config", backend, {
      triggers,
      provisioners: [this.provider.provisioner("apply", "create", environment)],
      dependsOn: [this.identityResource, ...(this.referencedIdentityResource ? [this.referencedIdentityResource] : []), this.provider.reaper],
    });

    const registered = this.provider.registerPlugin({
      path: this.node.path,
      id: this.pluginId,
      workspace: this.workspace ?? "",
      owner,
    });
    if (registered.length > 0) throw new PluginSessionValidationError(subject, registered);
  }

  private warnAboutSecret(secret: unknown, subject: string): void {
    if (typeof secret !== "string" || isUnresolved(secret) || isVaultReference(secret)) return;
    Annotations.of(this).addWarning(
      `config.secret of ${subject} is a literal string: it is written into the synthesized JSON (base64-encoded; never into Terraform's plans, state or logs) and lives in your code; pass a sensitive TerraformVariable or a Kong vault reference ({vault://env/session-secret}) instead`,
    );
    if ([...secret].length < WHOLE_WORD_BELOW) {
      Annotations.of(this).addWarning(
        `config.secret of ${subject} has fewer than ${WHOLE_WORD_BELOW} characters: output is redacted of it only where it stands as a whole word, and a secret this short is easy to guess; use at least 32 random characters`,
      );
    }
  }

  /** Kong allows one session plugin per route/service pair, one plugin per id, one per instance name. */
  private claim(props: PluginSessionProps): ValidationIssue[] {
    const root = this.node.root;
    const taken = claims.get(root) ?? new Map<string, string>();
    claims.set(root, taken);
    const server = this.provider.serverUrl;
    const workspace = props.workspace ?? "default";
    const issues: ValidationIssue[] = [];
    const check = (key: string, propPath: string, value: unknown, message: (other: string) => string) => {
      const other = taken.get(key);
      if (other !== undefined) issues.push({ code: "conflict", kongPath: [], propPath, value, message: message(other) });
    };
    // Kong's ids are UUIDs in any letter case, and stores them in lower case: one entity either way
    const uuidKey = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : "");
    const scopeKey = `scope|${server}|${workspace}|${uuidKey(props.route?.id)}|${uuidKey(props.service?.id)}`;
    const where = [props.route?.id && "route", props.service?.id && "service"].filter(Boolean).join(" and ") || "global scope";
    const keys: Array<[string, string, unknown, (other: string) => string]> = [
      [
        scopeKey,
        props.route?.id ? "route.id" : props.service?.id ? "service.id" : "(plugin)",
        props.route?.id ?? props.service?.id,
        (other) => `another session plugin, "${other}", has the same ${where} in workspace "${workspace}"; Kong allows one session plugin per route/service combination`,
      ],
      [`id|${server}|${uuidKey(this.pluginId)}`, "id", this.pluginId, (other) => `the plugin id is also used by "${other}"`],
    ];
    if (props.instanceName !== undefined) {
      keys.push([
        `name|${server}|${workspace}|${props.instanceName}`,
        "instanceName",
        props.instanceName,
        (other) => `the instance name is also used by "${other}" in workspace "${workspace}"`,
      ]);
    }
    for (const [key, propPath, value, message] of keys) check(key, propPath, value, message);
    if (issues.length === 0) for (const [key] of keys) taken.set(key, this.node.path);
    return issues;
  }
}

/** How a destroy-time provisioner reads an identity field: the literal, or the reference as last applied. */
function atDestroy(key: string, value: string): string {
  return isUnresolved(value) ? `\${self.input.${key}}` : escapeTemplate(value);
}

/** A reference as the id or workspace needs `input`, which only terraform_data has. */
function referencesNeedInput(props: PluginSessionProps, backend: string): ValidationIssue[] {
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

/** The id travels in the URL (`PUT /plugins/{id}`), not in the body. */
function withoutId(payload: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...body } = payload;
  return body;
}

/**
 * The body with `config.secret` replaced by the placeholder of {@link SECRET_REF}, and the secret
 * (a literal or a reference); a vault reference is not a secret and stays in the body.
 */
function withoutSecret(payload: Record<string, unknown>): { secret?: string; payload: Record<string, unknown> } {
  const config = payload.config;
  if (config === null || typeof config !== "object" || Array.isArray(config)) return { payload };
  const secret = (config as Record<string, unknown>).secret;
  if (typeof secret !== "string" || isVaultReference(secret)) return { payload };
  const placeholder: RefPlaceholder = { $ref: SECRET_REF, as: "base64" };
  return { secret, payload: { ...payload, config: { ...config, secret: placeholder } } };
}

/**
 * A digest that changes with the secret (salted with the plugin id), itself sensitive: plans show
 * `(sensitive value)`, so not even a guess at a weak secret can be checked against it.
 */
function secretDigest(pluginId: string, secret: string): string {
  if (!isUnresolved(secret) && !isUnresolved(pluginId)) {
    return `\${sensitive("${createHash("sha256").update(`${pluginId}:${secret}`, "utf8").digest("hex")}")}`;
  }
  return Fn.sha256(`${pluginId}:${secret}`);
}

/**
 * The secret as the provisioner's environment gets it, base64-encoded (any character fits an
 * environment variable so, a NUL too; the program decodes it): a reference through `base64encode()`
 * (Terraform keeps a sensitive variable's result sensitive); a literal through `sensitive()`, so that
 * Terraform hides it and the output of the run like a sensitive variable's, and so that a
 * configuration excerpt Terraform prints with an error does not show it in clear either.
 */
function secretExpression(secret: string): string {
  if (isUnresolved(secret)) return Fn.base64encode(secret);
  return `\${sensitive("${Buffer.from(secret, "utf8").toString("base64")}")}`;
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

