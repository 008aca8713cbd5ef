import { Lazy, TerraformStack, type DataResource, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { BACKENDS, backendProvider, customResource, selfTrigger, type Backend } from "./internal/backend.js";
import { runtimeAsset } from "./internal/runtime-asset.js";
import { escapeTemplate, isUnresolved } from "./internal/tokens.js";
import { ENV, type ConnectionOptions, type ReapEntry, type RuntimeAction } from "./runtime/contract.js";
import { closest } from "./schema/suggest.js";
import { PluginSessionValidationError, type ValidationIssue } from "./schema/validate.js";
import type { Resource as NullResource } from "@cdktf/provider-null/lib/resource";

export type { Backend };

/** TLS settings for an `https` Admin API; files are read where Terraform runs. */
export interface KongTlsOptions {
  /**
   * Path of a PEM bundle of CA certificates to trust, e.g. for a self-signed Admin API certificate.
   *
   * @default - the system's trusted CAs
   */
  readonly caCertFile?: string;
  /**
   * Path of a PEM client certificate, for an Admin API that requires mutual TLS.
   *
   * @default - no client certificate
   */
  readonly clientCertFile?: string;
  /**
   * Path of the PEM private key of `clientCertFile`.
   *
   * @default - no client certificate
   */
  readonly clientKeyFile?: string;
  /**
   * Skip verification of the server's certificate. Insecure: every run prints a warning.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

export interface KongGatewayProviderProps {
  /**
   * The Kong Admin API URL.
   *
   * Part of each plugin's identity: changing it deletes the plugins from the old server and creates
   * them on the new one. May be a reference (e.g. a `TerraformVariable`).
   * @default "http://localhost:8001"
   */
  readonly serverUrl?: string;
  /**
   * Which Terraform resource carries the provisioners.
   *
   * `null_resource` needs the hashicorp/null provider (added to the stack for you);
   * `terraform_data` is built into Terraform 1.4+ and OpenTofu and needs none.
   * @default "null_resource"
   */
  readonly backend?: Backend;
  /**
   * Extra headers sent with every Admin API request.
   *
   * They are written into the synthesized JSON, so they must not be secrets: the admin token comes
   * from `KONG_ADMIN_TOKEN` in Terraform's environment. Literal values only.
   * @default - none
   */
  readonly headers?: Record<string, string>;
  /**
   * TLS settings for an `https` server URL. Literal values only.
   *
   * @default - the system's trusted CAs, no client certificate
   */
  readonly tls?: KongTlsOptions;
  /**
   * Timeout of one Admin API request, in milliseconds.
   *
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Bound on one whole action (all requests and retries of one plugin's apply or delete), in milliseconds.
   *
   * @default 60000
   */
  readonly deadlineMs?: number;
  /**
   * How many times a transient failure (connection error, timeout, 429, 502, 503, 504) is retried.
   *
   * @default 5
   */
  readonly maxRetries?: number;
}

const DEFAULT_SERVER_URL = "http://localhost:8001";
const SECRET_HEADERS = new Set(["kong-admin-token", "authorization", "proxy-authorization", "cookie"]);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const registry = new WeakMap<TerraformStack, KongGatewayProvider[]>();

/**
 * Where and how the plugins of a stack reach the Kong Admin API.
 *
 * It is not a Terraform provider of its own: it holds the connection settings that the plugins'
 * provisioners use, adds the provider block the backend needs, and keeps the stack's list of
 * plugins so that a plugin deleted from the code is deleted from Kong by the next apply.
 *
 * @example
 * new KongGatewayProvider(stack, "kong", { serverUrl: "https://kong-admin.internal:8444", backend: "terraform_data" });
 */
export class KongGatewayProvider extends Construct {
  /**
   * The provider of the stack of `scope`: the only one there.
   *
   * @throws when the stack has none, or several
   */
  static of(scope: Construct, subject = `"${scope.node.path}"`): KongGatewayProvider {
    const stack = TerraformStack.of(scope);
    const providers = registry.get(stack) ?? [];
    if (providers.length === 1) return providers[0]!;
    if (providers.length === 0) {
      throw new Error(
        `no KongGatewayProvider in stack "${stack.node.path}" for ${subject}: add \`new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" })\` to the stack before the plugins, or pass the \`provider\` prop`,
      );
    }
    throw new Error(
      `stack "${stack.node.path}" has ${providers.length} KongGatewayProviders (${providers.map((p) => `"${p.node.path}"`).join(", ")}): pass the \`provider\` prop to ${subject}`,
    );
  }

  readonly serverUrl: string;
  readonly backend: Backend;
  /** the provider block added for the backend (hashicorp/null), if any */
  readonly terraformProvider?: TerraformProvider;
  /** the resource whose replacement deletes from Kong the plugins removed from the code */
  readonly reaper: DataResource | NullResource;
  /** @internal the connection settings as the apply-time program reads them */
  readonly connectionJson: string;
  private readonly entries = new Map<string, ReapEntry>();
  /** `node <asset path>`, computed once: the asset's path costs a logical-id lookup per read */
  private program?: string;

  constructor(scope: Construct, id: string, props: KongGatewayProviderProps = {}) {
    super(scope, id);
    const issues = validateProviderProps(props);
    if (issues.length > 0) throw new PluginSessionValidationError(`KongGatewayProvider at "${this.node.path}"`, issues);
    this.serverUrl = props.serverUrl ?? DEFAULT_SERVER_URL;
    this.backend = props.backend ?? "null_resource";
    this.connectionJson = escapeTemplate(JSON.stringify(connectionOptions(props)));
    this.terraformProvider = backendProvider(this, this.backend);

    const previous = "plugins";
    this.reaper = customResource(this, "reaper", this.backend, {
      triggers: { [previous]: Lazy.stringValue({ produce: () => escapeTemplate(JSON.stringify(this.sortedEntries())) }) },
      provisioners: [
        this.provisioner("reap", "destroy", {
          [ENV.reapPrevious]: selfTrigger(this.backend, previous),
          [ENV.reapCurrent]: Lazy.stringValue({ produce: () => JSON.stringify(this.sortedEntries().map((e) => e.id)) }),
        }),
      ],
    });

    const stack = TerraformStack.of(this);
    registry.set(stack, [...(registry.get(stack) ?? []), this]);
  }

  /**
   * @internal Records a plugin whose identity is known at synth; the reaper deletes it once it leaves
   * the code.
   */
  registerPlugin(entry: ReapEntry): void {
    this.entries.set(entry.id, entry);
  }

  /** @internal A local-exec provisioner that runs the apply-time program. */
  provisioner(action: RuntimeAction, when: "create" | "destroy", environment: Record<string, string>) {
    this.program ??= `node ${runtimeAsset(this).path}`;
    return {
      type: "local-exec" as const,
      command: `${this.program} ${action}`,
      environment: { ...environment, [ENV.connection]: this.connectionJson },
      ...(when === "destroy" ? { when: "destroy" as const } : {}),
    };
  }

  private sortedEntries(): ReapEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function connectionOptions(props: KongGatewayProviderProps): ConnectionOptions {
  const tls = props.tls ?? {};
  const options: Record<string, unknown> = {
    headers: props.headers && Object.keys(props.headers).length > 0 ? props.headers : undefined,
    caCertFile: tls.caCertFile,
    clientCertFile: tls.clientCertFile,
    clientKeyFile: tls.clientKeyFile,
    insecureSkipTlsVerify: tls.insecureSkipVerify || undefined,
    requestTimeoutMs: props.requestTimeoutMs,
    deadlineMs: props.deadlineMs,
    maxRetries: props.maxRetries,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ConnectionOptions;
}

const KNOWN_PROPS = ["serverUrl", "backend", "headers", "tls", "requestTimeoutMs", "deadlineMs", "maxRetries"];
const KNOWN_TLS = ["caCertFile", "clientCertFile", "clientKeyFile", "insecureSkipVerify"];

function validateProviderProps(props: KongGatewayProviderProps): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const problem = (propPath: string, value: unknown, message: string, hint?: string) =>
    issues.push({ code: "invalid_value", kongPath: [], propPath, value, message, ...(hint ? { hint } : {}) });
  const unknown = (prefix: string, key: string, value: unknown, known: readonly string[]) => {
    const guess = closest(key, known);
    issues.push({ code: "unknown_field", kongPath: [], propPath: `${prefix}${key}`, value, message: "unknown field", ...(guess ? { hint: `did you mean ${prefix}${guess}?` } : {}) });
  };
  const literalOnly = "must be a literal value (destroy-time provisioners cannot read references)";

  for (const key of Object.keys(props)) {
    if (!KNOWN_PROPS.includes(key)) unknown("", key, undefined, KNOWN_PROPS);
  }
  const { serverUrl } = props;
  if (serverUrl !== undefined && !isUnresolved(serverUrl)) {
    let url: URL | undefined;
    try {
      url = new URL(serverUrl);
    } catch {
      // reported below
    }
    if (url && (url.username || url.password)) {
      problem("serverUrl", "<redacted>", "must not contain credentials; set KONG_ADMIN_TOKEN in Terraform's environment");
    } else if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      problem("serverUrl", url ? serverUrl : serverUrl.replace(/\/\/[^/@]*@/, "//<redacted>@"), "expected an http:// or https:// URL");
    }
  }
  if (props.backend !== undefined && !BACKENDS.includes(props.backend)) {
    const guess = typeof props.backend === "string" ? closest(props.backend, BACKENDS) : undefined;
    problem("backend", props.backend, `expected one of: ${BACKENDS.join(", ")}`, guess ? `did you mean "${guess}"?` : undefined);
  }
  for (const [name, value] of Object.entries(props.headers ?? {})) {
    const where = `headers.${name}`;
    if (!HEADER_NAME.test(name)) problem(where, name, "expected a valid HTTP header name");
    else if (SECRET_HEADERS.has(name.toLowerCase())) {
      problem(where, "<redacted>", "secrets must not be synthesized: the admin token comes from KONG_ADMIN_TOKEN in Terraform's environment");
    } else if (isUnresolved(name) || isUnresolved(value)) problem(where, value, literalOnly);
    else if (typeof value !== "string" || /[\r\n\0]/.test(value)) problem(where, value, "expected a string without line breaks");
  }
  for (const key of Object.keys(props.tls ?? {})) {
    const value = (props.tls as Record<string, unknown>)[key];
    if (!KNOWN_TLS.includes(key)) unknown("tls.", key, value, KNOWN_TLS);
    else if (isUnresolved(value)) problem(`tls.${key}`, value, literalOnly);
    else if (key === "insecureSkipVerify" ? typeof value !== "boolean" : typeof value !== "string" || value === "") {
      problem(`tls.${key}`, value, key === "insecureSkipVerify" ? "expected a boolean" : "expected a file path");
    }
  }
  for (const key of ["requestTimeoutMs", "deadlineMs", "maxRetries"] as const) {
    const value = props[key];
    if (value === undefined) continue;
    if (isUnresolved(value)) problem(key, value, literalOnly);
    else if (!Number.isInteger(value) || value < (key === "maxRetries" ? 0 : 1)) {
      problem(key, value, key === "maxRetries" ? "expected an integer of at least 0" : "expected a positive integer (milliseconds)");
    }
  }
  return issues;
}
