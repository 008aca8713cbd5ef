import { lazyString, lazyValue, onSynthesize, stackOf, type DataResource, type NullResource, type TerraformProvider, type TerraformStack } from "./internal/cdk.js";
import { Construct } from "constructs";
import { BACKENDS, backendProvider, customResource, selfTriggerOrEmpty, type Backend } from "./internal/backend.js";
import { runPolicyPacksAbove } from "./internal/policy-bridge.js";
import { ReaperList, type RegisteredPlugin } from "./internal/reaper-list.js";
import { runtimeAsset } from "./internal/runtime-asset.js";
import { SyncSet } from "./internal/sync-set.js";
import { attributeReference, escapeTemplate, isUnresolved } from "./internal/tokens.js";
import { ENV, MAX_REAP_CHUNKS, type ConnectionOptions, type RefPlaceholder, type RuntimeAction } from "./runtime/contract.js";
import { normaliseServerUrl, showServerUrl } from "./runtime/server-url.js";
import { DEFAULT_TARGET, resolveTarget, targetProblem, type KongEdition, type ResolvedTarget } from "./schema/engine/target.js";
import { OSS_VERSIONS } from "./schema/generated/versions.js";
import { closest } from "./schema/suggest.js";
import { PluginSessionValidationError, type ValidationIssue } from "./schema/validate.js";

export type { Backend, KongEdition };

/** How the plugins of a provider reach Kong at apply (see {@link KongGatewayProviderProps.layout}). */
export type KongLayout = "sync" | "per-resource";

const LAYOUTS: readonly KongLayout[] = ["sync", "per-resource"];

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
   * Where the plugins are written. Changing it writes them to the new URL and deletes nothing
   * anywhere (see "Moving a stack to another Kong" in the README). Spellings of one URL are written
   * one way (`HTTP://Kong:80/` is `http://kong`). May be a reference (e.g. a `TerraformVariable`)
   * with the `terraform_data` backend.
   * @default "http://localhost:8001"
   */
  readonly serverUrl?: string;
  /**
   * Which Terraform resource carries the provisioners.
   *
   * `terraform_data` is built into Terraform 1.4+ and OpenTofu and needs no provider download;
   * `null_resource` needs the hashicorp/null provider (added to the stack for you).
   * @default "terraform_data"
   */
  readonly backend?: Backend;
  /**
   * How the plugins reach Kong at apply.
   *
   * `sync`: one process per apply writes every plugin of the provider (what changed only, several at
   * once); the plan lists each plugin that changes as a key of one resource's triggers.
   * `per-resource`: two resources and a process per plugin (the only layout of 0.1), for
   * `terraform apply -target` of one plugin's resources, and for the `null_resource` backend
   * (Terraform before 1.4). `sync` needs the `terraform_data` backend. A stack applied with the
   * per-resource layout moves to `sync` in one apply. See "Layouts" in the README.
   * @default "sync", or "per-resource" with the `null_resource` backend
   */
  readonly layout?: KongLayout;
  /**
   * The version of Kong Gateway the plugins run on, `major.minor` (a patch or an Enterprise build
   * number may follow: `3.9.1`, `3.4.3.17`). Plugins, fields and values that version lacks are
   * errors at synth, naming the first version that has them.
   *
   * Open-source Kong: 3.4 to 3.9 (its last release); Kong Enterprise: 3.4 to 3.15.
   * @default - the newest Kong Enterprise with published schemas (3.15): everything is accepted
   */
  readonly kongVersion?: string;
  /**
   * Open-source Kong (`oss`) or Kong Enterprise (`enterprise`). Enterprise-only plugins, entity fields
   * (`ordering`, `partials`, `condition`, `consumerGroup`) and protocols (`ws`, `wss`) are errors at
   * synth for `oss`.
   *
   * @default "enterprise"
   */
  readonly edition?: KongEdition;
  /**
   * Mixed into the plugin ids derived from construct paths, so that two apps that name their
   * stacks and constructs alike derive different ids on one Kong. Changing it changes every derived
   * id (the plugins are re-created). Literal only.
   * @default - none: ids derive from the construct path and workspace alone
   */
  readonly idNamespace?: string;
  /**
   * Extra headers sent with every Admin API request.
   *
   * They are written into the synthesized JSON, so they must not carry credentials (names such as
   * `Authorization`, `apikey`, `X-API-Key` or any with `token`, `secret` or `key` are refused): use
   * `headersFromEnv` for those. Literal values only.
   * @default - none
   */
  readonly headers?: Record<string, string>;
  /**
   * Headers whose values are read, at apply, from environment variables of Terraform's process:
   * header name → variable name, e.g. `{ "X-API-Key": "KONG_GATEWAY_API_KEY" }`. Only the variable's
   * name is synthesized; its value is never printed.
   * @default - none
   */
  readonly headersFromEnv?: Record<string, string>;
  /**
   * The header that carries `KONG_ADMIN_TOKEN`: Kong Enterprise's `rbac_auth_header` setting.
   *
   * @default "Kong-Admin-Token"
   */
  readonly adminTokenHeader?: string;
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
   * Bound on the work for one plugin (all requests and retries of its apply or delete), in
   * milliseconds. Transient failures are retried until it passes.
   *
   * @default 60000
   */
  readonly deadlineMs?: number;
  /**
   * At most how many times a transient failure (connection error, timeout, 429, 502, 503, 504) is
   * retried.
   *
   * @default - as often as `deadlineMs` allows
   */
  readonly maxRetries?: number;
}

const DEFAULT_SERVER_URL = "http://localhost:8001";
const DEFAULT_TOKEN_HEADER = "Kong-Admin-Token";
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Header names that carry credentials: their values must never be synthesized. */
const CREDENTIAL_HEADER = /authorization|token|secret|passw|cookie|credential|session|signature|api[-_]?key|(?:^|[-_])(?:key|auth)(?:$|[-_])/i;
const registry = new WeakMap<TerraformStack, KongGatewayProvider[]>();

/**
 * Where and how the plugins of a stack reach the Kong Admin API.
 *
 * It is not a Terraform provider of its own: it holds the connection settings that the plugins'
 * provisioners use, adds the provider block the backend needs, and keeps the stack's list of
 * plugins so that a plugin deleted from the code is deleted from Kong by the next apply.
 *
 * @example
 * new KongGatewayProvider(stack, "kong", { serverUrl: "https://kong-admin.internal:8444" });
 */
export class KongGatewayProvider extends Construct {
  /**
   * The provider of the stack of `scope`: the only one there.
   *
   * @throws when the stack has none, or several
   */
  static of(scope: Construct, subject = `"${scope.node.path}"`): KongGatewayProvider {
    const stack = stackOf(scope);
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

  /** The server URL as the stack writes it (one spelling), or the reference given. */
  readonly serverUrl: string;
  readonly backend: Backend;
  /** What derived plugin ids mix in, if set. */
  readonly idNamespace?: string;
  /** The Kong version and edition the plugins are validated for. */
  readonly target: ResolvedTarget;
  /** the provider block added for the backend (hashicorp/null), if any */
  readonly terraformProvider?: TerraformProvider;
  /**
   * The resource whose replacement deletes from Kong the plugins removed from the code: the reaper,
   * or with the sync layout the sync resource (whose creation writes every plugin).
   */
  readonly reaper: DataResource | NullResource;
  /** How the plugins reach Kong at apply. */
  readonly layout: KongLayout;
  /**
   * The sync layout's resource created once per provider, never replaced: its id is the owner token
   * of every plugin of the provider, and its destroy deletes them all.
   */
  readonly ownerResource?: DataResource;
  /** @internal the sync layout's record of the plugins */
  readonly syncSet?: SyncSet;
  /** @internal the connection settings as the apply-time program reads them */
  readonly connectionJson: string;
  /** @internal the plugins and entities of this provider, in the order declared: for the policy checks */
  readonly declared: Construct[] = [];
  /** @internal `tls.insecureSkipVerify`, for the policy checks */
  readonly insecureSkipVerify: boolean;
  private readonly plugins = new ReaperList();
  /** `node <asset path>`, computed once: the asset's path costs a logical-id lookup per read */
  private program?: string;

  constructor(scope: Construct, id: string, props: KongGatewayProviderProps = {}) {
    super(scope, id);
    const backend = props.backend ?? "terraform_data";
    const issues = validateProviderProps(props, backend);
    if (issues.length > 0) throw new PluginSessionValidationError(`KongGatewayProvider at "${this.node.path}"`, issues);
    const serverUrl = props.serverUrl ?? DEFAULT_SERVER_URL;
    this.serverUrl = isUnresolved(serverUrl) ? serverUrl : normaliseServerUrl(serverUrl).url!;
    this.backend = backend;
    this.insecureSkipVerify = props.tls?.insecureSkipVerify === true;
    if (props.idNamespace !== undefined) this.idNamespace = props.idNamespace;
    this.target = resolveTarget({ edition: props.edition ?? DEFAULT_TARGET.edition, version: props.kongVersion ?? defaultVersion(props.edition) });
    this.connectionJson = escapeTemplate(JSON.stringify(connectionOptions(props)));
    this.terraformProvider = backendProvider(this, this.backend);
    this.layout = props.layout ?? (backend === "null_resource" ? "per-resource" : "sync");
    const stack = stackOf(this);
    registry.set(stack, [...(registry.get(stack) ?? []), this]);
    runPolicyPacksAbove(stack);
    if (this.layout === "sync") {
      const synced = this.syncResources(stack);
      this.syncSet = synced.set;
      this.ownerResource = synced.owner;
      this.reaper = synced.sync;
      return;
    }

    const environment: Record<string, string> = {
      // the list of cdktf-kong-gateway 0.1, when the previous apply was made by it
      [ENV.reapPrevious]: selfTriggerOrEmpty(this.backend, "plugins"),
      [ENV.serverUrl]: this.serverUrlAtDestroy(),
    };
    // every chunk the previous apply may have written: the state may hold more than the code now has
    for (let i = 0; i < MAX_REAP_CHUNKS; i++) environment[`${ENV.reapPrevious}_${i}`] = selfTriggerOrEmpty(this.backend, `plugins_${i}`);
    const reap = this.provisioner("reap", "destroy", environment);
    this.reaper = customResource(this, "reaper", this.backend, {
      triggers: lazyValue(this, () => this.plugins.previousTriggers()),
      ...this.serverUrlInput(),
      provisioners: [
        {
          ...reap,
          // as many chunks of the current list as the code has, known once every plugin is added
          environment: lazyValue(this, () => ({
            ...reap.environment,
            ...Object.fromEntries(this.plugins.currentChunks().map((chunk, i) => [`${ENV.reapCurrent}_${i}`, chunk])),
          })) as unknown as Record<string, string>,
        },
      ],
    });
  }

  /**
   * The sync layout's resources: the owner (created once; its destroy deletes every plugin that
   * carries its id as owner token, in the workspaces its `input` keeps) and the sync resource
   * (replaced when a plugin changes; its creation runs `sync` on the desired set written beside
   * `cdk.tf.json`).
   */
  private syncResources(stack: TerraformStack): { set: SyncSet; owner: DataResource; sync: DataResource } {
    const set = new SyncSet(this);
    const referencedUrl = isUnresolved(this.serverUrl);
    // a literal as Terraform's JSON syntax takes it (`${` escaped), a reference as it is
    const url = referencedUrl ? this.serverUrl : escapeTemplate(this.serverUrl);
    const owner = customResource(this, "owner", this.backend, {
      triggers: {},
      ignoreTriggerChanges: true,
      input: { server_url: url, workspaces: lazyString(this, () => set.workspaceList()) },
      provisioners: [
        this.provisioner("teardown", "destroy", {
          [ENV.serverUrl]: "${self.input.server_url}",
          [ENV.owner]: "${self.id}",
          [ENV.workspaces]: "${self.input.workspaces}",
        }),
      ],
    }) as DataResource;
    // At the per-resource layout's reaper's address, with neither provisioner nor triggers of its own:
    // in a stack that layout wrote, its state keeps the list of the plugins it wrote, with their owner
    // tokens, which the first sync reads to take them over (no plugin deleted or re-created); in a
    // stack created with the sync layout, it is empty.
    const previous = customResource(this, "reaper", this.backend, { triggers: {}, ignoreTriggerChanges: true, provisioners: [] });
    const previousList: Record<string, string> = {};
    for (let i = 0; i < MAX_REAP_CHUNKS; i++) {
      previousList[`${ENV.reapPrevious}_${i}`] = lazyString(
        this,
        () => `\${lookup(${previous.terraformResourceType}.${previous.friendlyUniqueId}.triggers_replace, "plugins_${i}", "")}`,
      );
    }
    const run = this.provisioner("sync", "create", { [ENV.sync]: set.file, [ENV.owner]: attributeReference(owner, "id"), ...previousList });
    const sync = customResource(this, "sync", this.backend, {
      // the server URL too: a new one is written to (the plugins' digests do not hold it)
      triggers: lazyValue(this, () => ({ ...set.triggers(), "(server url)": url })),
      provisioners: [
        {
          ...run,
          environment: lazyValue(this, () => ({
            ...run.environment,
            ...set.refEnvironment(),
            ...(referencedUrl ? { [`${ENV.refPrefix}server_url`]: this.serverUrl } : {}),
          })) as unknown as Record<string, string>,
        },
      ],
      dependsOn: [owner, previous],
    }) as DataResource;
    const serverUrl: string | RefPlaceholder = referencedUrl ? { $ref: "server_url", as: "string" } : this.serverUrl;
    onSynthesize(this, (session) => set.write(session, stack, serverUrl, this.target));
    return { set, owner, sync };
  }

  /**
   * @internal Records a plugin for the reaper, which deletes it once it leaves the code.
   * @returns problems when the stack's list would no longer fit the reaper's environment
   */
  registerPlugin(plugin: RegisteredPlugin): ValidationIssue[] {
    return this.plugins.add(plugin);
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

  /**
   * The server URL as the reaper's destroy-time provisioner reads it: the literal URL of the
   * current configuration, or, for a reference, the value its `input` held at the last apply.
   */
  private serverUrlAtDestroy(): string {
    return isUnresolved(this.serverUrl) ? "${self.input.server_url}" : escapeTemplate(this.serverUrl);
  }

  /** The `input` that carries a referenced server URL to the reaper's destroy time (terraform_data only). */
  private serverUrlInput(): { input?: Record<string, string> } {
    return isUnresolved(this.serverUrl) ? { input: { server_url: this.serverUrl } } : {};
  }
}

/** Without a version: the newest of the edition (open-source Kong's last release, or the newest Enterprise). */
function defaultVersion(edition: KongEdition | undefined): string {
  return edition === "oss" ? OSS_VERSIONS[OSS_VERSIONS.length - 1]! : DEFAULT_TARGET.version;
}

function connectionOptions(props: KongGatewayProviderProps): ConnectionOptions {
  const tls = props.tls ?? {};
  const options: Record<string, unknown> = {
    headers: props.headers && Object.keys(props.headers).length > 0 ? props.headers : undefined,
    headersFromEnv: props.headersFromEnv && Object.keys(props.headersFromEnv).length > 0 ? props.headersFromEnv : undefined,
    adminTokenHeader: props.adminTokenHeader,
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

const KNOWN_PROPS = [
  "serverUrl",
  "layout",
  "kongVersion",
  "edition",
  "backend",
  "idNamespace",
  "headers",
  "headersFromEnv",
  "adminTokenHeader",
  "tls",
  "requestTimeoutMs",
  "deadlineMs",
  "maxRetries",
];
const KNOWN_TLS = ["caCertFile", "clientCertFile", "clientKeyFile", "insecureSkipVerify"];

function validateProviderProps(props: KongGatewayProviderProps, backend: Backend): ValidationIssue[] {
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
  if (serverUrl !== undefined) {
    if (isUnresolved(serverUrl)) {
      if (backend === "null_resource") {
        problem(
          "serverUrl",
          serverUrl,
          'a reference needs the terraform_data backend: a null_resource keeps nothing a destroy-time provisioner could read it from without re-creating the plugin; set backend: "terraform_data" (the default), or give the URL literally',
        );
      }
    } else if (typeof serverUrl !== "string") {
      problem("serverUrl", serverUrl, "expected an http:// or https:// URL");
    } else {
      const checked = normaliseServerUrl(serverUrl);
      if (checked.problem !== undefined) problem("serverUrl", showServerUrl(serverUrl), checked.problem);
    }
  }
  if (props.backend !== undefined && !BACKENDS.includes(props.backend)) {
    const guess = typeof props.backend === "string" ? closest(props.backend, BACKENDS) : undefined;
    problem("backend", props.backend, `expected one of: ${BACKENDS.join(", ")}`, guess ? `did you mean "${guess}"?` : undefined);
  }
  if (props.layout !== undefined) {
    if (!LAYOUTS.includes(props.layout)) {
      const guess = typeof props.layout === "string" ? closest(props.layout, LAYOUTS) : undefined;
      problem("layout", props.layout, `expected one of: ${LAYOUTS.join(", ")}`, guess ? `did you mean "${guess}"?` : undefined);
    } else if (props.layout === "sync" && backend === "null_resource") {
      problem("layout", props.layout, 'the sync layout needs the terraform_data backend, whose input keeps the workspaces and server URL its teardown reads; set backend: "terraform_data" (the default), or layout: "per-resource"');
    }
  }
  if (props.idNamespace !== undefined) {
    if (isUnresolved(props.idNamespace)) problem("idNamespace", props.idNamespace, "must be a literal value (plugin ids are derived at synth)");
    else if (typeof props.idNamespace !== "string" || props.idNamespace === "") problem("idNamespace", props.idNamespace, "expected a non-empty string");
  }
  for (const key of ["kongVersion", "edition"] as const) if (isUnresolved(props[key])) problem(key, props[key], "must be a literal value (plugins are validated for it at synth)");
  const target = targetProblem({ edition: props.edition, version: props.kongVersion });
  if (target && !isUnresolved(props.kongVersion) && !isUnresolved(props.edition)) {
    problem(target.field, target.field === "edition" ? props.edition : props.kongVersion, target.message);
  }
  const tokenHeader = props.adminTokenHeader ?? DEFAULT_TOKEN_HEADER;
  if (props.adminTokenHeader !== undefined) {
    if (isUnresolved(props.adminTokenHeader)) problem("adminTokenHeader", props.adminTokenHeader, literalOnly);
    else if (typeof props.adminTokenHeader !== "string" || !HEADER_NAME.test(props.adminTokenHeader)) {
      problem("adminTokenHeader", props.adminTokenHeader, "expected a valid HTTP header name");
    }
  }
  const fromEnv = Object.keys(props.headersFromEnv ?? {}).map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(props.headers ?? {})) {
    const where = `headers.${name}`;
    if (isUnresolved(name) || isUnresolved(value)) problem(where, value, literalOnly);
    else if (!HEADER_NAME.test(name)) problem(where, name, "expected a valid HTTP header name");
    else if (name.toLowerCase() === tokenHeader.toLowerCase() || name.toLowerCase() === DEFAULT_TOKEN_HEADER.toLowerCase()) {
      problem(where, "<redacted>", "the admin token must not be synthesized: it is read from KONG_ADMIN_TOKEN in Terraform's environment");
    } else if (CREDENTIAL_HEADER.test(name)) {
      problem(
        where,
        "<redacted>",
        `the header carries a credential, which must not be synthesized: read it from the environment at apply with headersFromEnv: { ${JSON.stringify(name)}: "<ENVIRONMENT_VARIABLE>" }`,
      );
    } else if (typeof value !== "string" || /[\r\n\0]/.test(value)) problem(where, value, "expected a string without line breaks");
    else if (fromEnv.includes(name.toLowerCase())) problem(where, value, "also in headersFromEnv: give the header once");
  }
  for (const [name, variable] of Object.entries(props.headersFromEnv ?? {})) {
    const where = `headersFromEnv.${name}`;
    if (isUnresolved(name) || isUnresolved(variable)) problem(where, variable, "must be a literal environment variable name");
    else if (!HEADER_NAME.test(name)) problem(where, name, "expected a valid HTTP header name");
    else if (name.toLowerCase() === tokenHeader.toLowerCase()) {
      problem(where, variable, "this header carries KONG_ADMIN_TOKEN already (adminTokenHeader)");
    } else if (typeof variable !== "string" || !ENV_NAME.test(variable)) {
      problem(where, variable, "expected the name of an environment variable (letters, digits and _, not starting with a digit)");
    }
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
