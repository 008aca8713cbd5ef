import { hash } from "node:crypto";
import { Annotations, type DataResource } from "cdktf";
import { Construct } from "constructs";
import type { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { selfTrigger, customResource } from "./internal/backend.js";
import { escapeTemplate, extractRefs, isUnresolved } from "./internal/tokens.js";
import { KongGatewayProvider } from "./kong-gateway-provider.js";
import { ENV, REQUEST_VERSION, type ApplyRequest } from "./runtime/contract.js";
import { validateAttributes, type PluginSessionAttributes } from "./schema/index.js";
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
const MAX_REQUEST_BYTES = 128 * 1024 - ENV.request.length - 2;

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
  /** The resource whose destroy deletes the plugin; replaced only when the identity changes. */
  readonly identityResource: DataResource | NullResource;
  /** The resource whose creation writes the plugin; replaced on every configuration change. */
  readonly configResource: DataResource | NullResource;

  constructor(scope: Construct, id: string, props: PluginSessionProps = {}) {
    super(scope, id);
    const subject = `session plugin at "${this.node.path}"`;
    this.provider = props.provider ?? KongGatewayProvider.of(this, subject);
    this.workspace = props.workspace;

    const result = validateAttributes(props, isUnresolved);
    this.pluginId = props.id ?? derivedId(this.node.path, props.workspace);
    const issues: ValidationIssue[] = [...result.issues, ...this.claim(props)];
    if (issues.length > 0) throw new PluginSessionValidationError(subject, issues);

    const secret = props.config?.secret;
    if (typeof secret === "string" && !isUnresolved(secret) && !secret.startsWith("{vault://")) {
      Annotations.of(this).addWarning(
        `config.secret of ${subject} is a literal string: it is written into the synthesized JSON and Terraform state; pass a sensitive TerraformVariable or a Kong vault reference ({vault://env/session-secret}) instead`,
      );
    }

    const { backend } = this.provider;
    const identity = {
      plugin_id: escapeTemplate(this.pluginId),
      workspace: escapeTemplate(this.workspace ?? ""),
      server_url: escapeTemplate(this.provider.serverUrl),
    };
    this.identityResource = customResource(this, "identity", backend, {
      triggers: identity,
      provisioners: [
        this.provider.provisioner("delete", "destroy", {
          [ENV.pluginId]: selfTrigger(backend, "plugin_id"),
          [ENV.workspace]: selfTrigger(backend, "workspace"),
          [ENV.serverUrl]: selfTrigger(backend, "server_url"),
        }),
      ],
    });

    const { payload, refs } = extractRefs({
      version: REQUEST_VERSION,
      pluginId: this.pluginId,
      workspace: this.workspace ?? "",
      serverUrl: this.provider.serverUrl,
      path: this.node.path,
      payload: withoutId(result.payload),
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
    this.configResource = customResource(this, "config", backend, {
      triggers,
      provisioners: [this.provider.provisioner("apply", "create", environment)],
      dependsOn: [this.identityResource, this.provider.reaper],
    });

    if (![this.pluginId, this.workspace, this.provider.serverUrl].some(isUnresolved)) {
      this.provider.registerPlugin({ id: this.pluginId, workspace: this.workspace ?? "", serverUrl: this.provider.serverUrl });
    } else {
      Annotations.of(this).addWarning(
        `the identity of ${subject} (id, workspace or server URL) is a reference: deleting this construct from the code will not delete the plugin from Kong; run "terraform destroy -target" first`,
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
    const scopeKey = `scope|${server}|${workspace}|${props.route?.id ?? ""}|${props.service?.id ?? ""}`;
    const where = [props.route?.id && "route", props.service?.id && "service"].filter(Boolean).join(" and ") || "global scope";
    const keys: Array<[string, string, unknown, (other: string) => string]> = [
      [
        scopeKey,
        props.route?.id ? "route.id" : props.service?.id ? "service.id" : "(plugin)",
        props.route?.id ?? props.service?.id,
        (other) => `another session plugin, "${other}", has the same ${where} in workspace "${workspace}"; Kong allows one session plugin per route/service combination`,
      ],
      [`id|${server}|${this.pluginId}`, "id", this.pluginId, (other) => `the plugin id is also used by "${other}"`],
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

/** The id travels in the URL (`PUT /plugins/{id}`), not in the body. */
function withoutId(payload: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...body } = payload;
  return body;
}

/** A UUID (version 5) derived from the construct path and workspace: the same on every synth. */
export function derivedId(path: string, workspace: string | undefined): string {
  const name = workspace === undefined || isUnresolved(workspace) ? path : `${path}@${workspace}`;
  const digest = hash("sha1", Buffer.concat([ID_NAMESPACE_BYTES, Buffer.from(name, "utf8")]), "buffer");
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

