/**
 * The rules over the provider, the entities, and what spans several constructs (a route and the
 * plugins that guard it), and the rule on literal secrets, which reads plugins and entities alike.
 */
import { isIP } from "node:net";
import { isUnresolved } from "../internal/tokens.js";
import { ENTITY_KIND_BY_NAME } from "../schema/entity-kinds.js";
import { nameReference } from "../schema/references.js";
import { onEntities, onProviders, type Rule, type RuleContext } from "./rule.js";
import { AUTH_PLUGINS } from "./rules-plugins.js";
import { UNKNOWN, referencedId, show, type EntitySubject, type PluginSubject, type Subject } from "./subject.js";

const PLAIN = ["http", "grpc", "ws"];
const ENCRYPTED = ["https", "grpcs", "wss"];
const STREAM = ["tcp", "tls", "tls_passthrough", "udp"];

export const GATEWAY_RULES: readonly Rule[] = [
  {
    id: "KONG-SECRET-1",
    level: "error",
    summary: "a secret field of a plugin or entity (a session secret, a credential's key or password, a certificate's key, a field Kong marks encrypted or referenceable) is a literal string",
    fix: "pass a sensitive `TerraformVariable` or a Kong vault reference (`{vault://…}`)",
    check: (s: Subject) => {
      if (s.type === "provider" || s.secretFields.length === 0) return [];
      const fields = s.secretFields.map((field) => field.propPath).join(", ");
      return [
        {
          message: `${fields} ${s.secretFields.length === 1 ? "is a literal string" : "are literal strings"}: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead`,
        },
      ];
    },
  },
  {
    id: "KONG-ADMIN-1",
    level: "error",
    summary: "the Admin API URL (`serverUrl`) is plain `http` to a host other than this machine (`localhost`, `127.0.0.0/8`, `::1`)",
    fix: "use `https://`, or reach the Admin API through a loopback address (a tunnel, a sidecar)",
    check: onProviders((s) => {
      const url = s.construct.serverUrl;
      if (isUnresolved(url)) return [];
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" || isLoopback(parsed.hostname)) return [];
      return [
        `serverUrl is plain http to ${JSON.stringify(parsed.host)}: the admin token (KONG_ADMIN_TOKEN) and every secret the stack writes cross the network unencrypted; use https:// (Kong's admin_listen with ssl), or reach the Admin API through a loopback address`,
      ];
    }),
  },
  {
    id: "KONG-ADMIN-2",
    level: "error",
    summary: "the Admin API's certificate is not verified (`tls.insecureSkipVerify: true`)",
    fix: "trust the Admin API's CA with `tls.caCertFile` instead",
    check: onProviders((s) =>
      s.construct.insecureSkipVerify
        ? ["tls.insecureSkipVerify is true: the Admin API's certificate is not verified, so anyone on the path can pose as Kong and receive the admin token; trust its CA with tls.caCertFile instead"]
        : [],
    ),
  },
  {
    id: "KONG-ROUTE-1",
    level: "warning",
    summary: "no authentication plugin (or request-termination) applies to an HTTP route: none on it, on its service, or global in its workspace, among the plugins of its `KongGatewayProvider`",
    fix: "add one (`PluginKeyAuth`, `PluginOpenidConnect`, …) to the route, its service or globally; for a public route, suppress with the reason",
    check: onEntities("routes", (s, context) => {
      if (streamOnly(s)) return [];
      const guard = guardOf(s, context);
      if (guard !== "none") return [];
      return [
        `no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "${s.workspace ?? "default"}" of KongGatewayProvider "${s.provider.node.path}", so anyone can call it; add one, or suppress this rule with the reason for a public route`,
      ];
    }),
  },
  {
    id: "KONG-ROUTE-2",
    level: "warning",
    summary: "a route accepts plain-text requests only (`protocols` has `http`, `grpc` or `ws` and none of `https`, `grpcs`, `wss`)",
    fix: "add `\"https\"` to `protocols`",
    check: onEntities("routes", (s) => {
      const protocols = s.value("protocols");
      if (!Array.isArray(protocols) || protocols.some((p) => isUnresolved(p))) return [];
      if (!protocols.some((p) => PLAIN.includes(p)) || protocols.some((p) => ENCRYPTED.includes(p))) return [];
      return [`${s.describe("protocols")}: the route takes unencrypted requests only, so they cross the network in clear with the credentials in them; add "https" to protocols`];
    }),
  },
  {
    id: "KONG-SERVICE-1",
    level: "warning",
    summary: "a service is reached over plain text (`http`, `grpc`, `ws`, `tcp`, `udp`) at a host outside the private network (not a private or loopback address, a single-label name, a name under `.internal`, `.local`, `.svc`, `.lan`, `.home.arpa`, …, nor an upstream's name)",
    fix: "use `protocol: \"https\"` (`url: \"https://…\"`)",
    check: onEntities("services", (s, context) => {
      const protocol = s.value("protocol");
      const host = s.value("host");
      if (typeof protocol !== "string" || !["http", "grpc", "ws", "tcp", "udp"].includes(protocol)) return [];
      if (typeof host !== "string" || host === "" || isInternalHost(host) || isUpstreamName(s, host, context)) return [];
      return [`${s.describe("protocol")} at host ${JSON.stringify(host)}: requests, and the credentials Kong passes on, cross the network unencrypted; use protocol "https"`];
    }),
  },
  {
    id: "KONG-SERVICE-2",
    level: "warning",
    summary: "a service over TLS does not verify the upstream's certificate (`tlsVerify` not `true`: unset, nginx's `proxy_ssl_verify`, off, applies)",
    fix: "set `tlsVerify: true` (with `caCertificates` when Kong does not trust the upstream's CA)",
    check: onEntities("services", (s) => {
      const protocol = s.value("protocol");
      const verify = s.value("tls_verify");
      if (typeof protocol !== "string" || !["https", "grpcs", "wss", "tls"].includes(protocol) || verify === true || verify === UNKNOWN) return [];
      const now = verify === false ? `${s.prop("tls_verify")} is false` : `${s.prop("tls_verify")} is unset (nginx's proxy_ssl_verify applies, which is off)`;
      return [`${s.prop("protocol")} is ${show(protocol)} and ${now}: Kong does not verify the upstream's certificate, so anyone on the path can pose as the service; set ${s.prop("tls_verify")} to true, with ${s.prop("ca_certificates")} when Kong does not trust its CA`];
    }),
  },
  {
    id: "KONG-UPSTREAM-1",
    level: "warning",
    summary: "an upstream has neither active nor passive health checks (Kong's default)",
    fix: "set `healthchecks.passive.unhealthy` thresholds (`httpFailures`, `tcpFailures`, `timeouts`) or `healthchecks.active` intervals",
    check: onEntities("upstreams", (s) => {
      const at = (...path: string[]) => s.value(["healthchecks", ...path]);
      const values = [at("active", "healthy", "interval"), at("active", "unhealthy", "interval"), ...["http_failures", "tcp_failures", "timeouts"].map((f) => at("passive", "unhealthy", f))];
      if (values.some((v) => v === UNKNOWN || (typeof v === "number" && v > 0))) return [];
      return [
        `neither active health checks (${s.prop(["healthchecks", "active", "healthy", "interval"])} and ${s.prop(["healthchecks", "active", "unhealthy", "interval"])} are 0) nor passive ones (the thresholds of ${s.prop(["healthchecks", "passive", "unhealthy"])} are 0) are on: Kong keeps sending requests to a target that is down; set the thresholds of ${s.prop(["healthchecks", "passive", "unhealthy"])} or the intervals of ${s.prop(["healthchecks", "active"])}`,
      ];
    }),
  },
];

/** A route whose protocols are all stream protocols: no HTTP authentication plugin runs on it. */
function streamOnly(route: EntitySubject): boolean {
  const protocols = route.value("protocols");
  return Array.isArray(protocols) && protocols.length > 0 && protocols.every((p) => STREAM.includes(p as string));
}

/**
 * Whether an authentication plugin (or request-termination, which lets nothing through) applies to
 * a route: "none", "guarded", or "unknown" when a plugin's scope or the route's service is a
 * reference (then nothing is reported).
 */
function guardOf(route: EntitySubject, context: RuleContext): "none" | "guarded" | "unknown" {
  const routeName = route.value("name");
  const routeId: ScopeKey = { id: route.construct.id.toLowerCase(), ...(typeof routeName === "string" ? { name: routeName } : {}) };
  const serviceId = scopeKey(route.value("service"), "services", route, context);
  if (isUnresolved(route.workspace)) return "unknown";
  const workspace = route.workspace ?? "default";
  let unknown = false;
  for (const plugin of context.declaredOn(route.provider).plugins) {
    if (!plugin.enabled || !(AUTH_PLUGINS.includes(plugin.name) || plugin.name === "request-termination")) continue;
    if (isUnresolved(plugin.workspace)) {
      unknown = true;
      continue;
    }
    if ((plugin.workspace ?? "default") !== workspace) continue;
    const scopes = pluginScopes(plugin, context);
    if (scopes.consumer !== undefined) continue; // only some consumers' requests
    // each scope the plugin names must be the route's: true, false, or unknown for a reference
    const matches = [scopes.route === undefined ? true : sameScope(scopes.route, routeId), scopes.service === undefined ? true : sameScope(scopes.service, serviceId)];
    if (matches.includes(false)) continue;
    if (matches.includes(UNKNOWN)) unknown = true;
    else return "guarded";
  }
  return unknown ? "unknown" : "none";
}

/** What a scope points at: its id, its name, or both when the provider declares it; {@link UNKNOWN} for a reference. */
type ScopeKey = { readonly id?: string; readonly name?: string } | typeof UNKNOWN | undefined;

function pluginScopes(plugin: PluginSubject, context: RuleContext): { readonly route: ScopeKey; readonly service: ScopeKey; readonly consumer: ScopeKey } {
  const body = plugin.body;
  const consumer = scopeKey(body.consumer, "consumers", plugin, context) ?? scopeKey(body.consumer_group, "consumer_groups", plugin, context);
  return { route: scopeKey(body.route, "routes", plugin, context), service: scopeKey(body.service, "services", plugin, context), consumer };
}

/**
 * What a reference points at: `{ id }` (in lower case) or a name (`{ name }`, `{ username }`), with
 * the other of the two when the provider declares the entity; {@link UNKNOWN} for a reference
 * Terraform resolves; undefined when unset.
 */
function scopeKey(reference: unknown, kind: string, from: PluginSubject | EntitySubject, context: RuleContext): ScopeKey {
  const key = ENTITY_KIND_BY_NAME.get(kind)?.endpointKey;
  const byName = nameReference(reference, key);
  const id = byName === undefined ? referencedId(reference) : undefined;
  if (id === UNKNOWN || (byName !== undefined && (typeof byName.value !== "string" || isUnresolved(byName.value)))) return UNKNOWN;
  if (id === undefined && byName === undefined) return undefined;
  if (isUnresolved(from.workspace)) return id !== undefined ? { id } : UNKNOWN;
  const workspace = from.workspace ?? "default";
  const declared = context
    .declaredOn(from.provider)
    .entities.find((e) => e.kind === kind && (e.workspace ?? "default") === workspace && (id !== undefined ? e.construct.id.toLowerCase() === id : e.body[byName!.key] === byName!.value));
  const name = declared && key !== undefined && typeof declared.body[key] === "string" ? (declared.body[key] as string) : (byName?.value as string | undefined);
  return { ...(declared ? { id: declared.construct.id.toLowerCase() } : id !== undefined ? { id } : {}), ...(name !== undefined ? { name } : {}) };
}

/** Whether two scopes are one entity: by id, else by name (Kong keeps names unique); unknown when neither tells. */
function sameScope(a: ScopeKey, b: ScopeKey): boolean | typeof UNKNOWN {
  if (a === undefined || b === undefined) return a === b;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  if (a.name !== undefined && b.name !== undefined) return a.name === b.name;
  return UNKNOWN;
}

/** Loopback: `localhost` and its subdomains (RFC 6761), 127.0.0.0/8, `::1`. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  // an IPv4-mapped IPv6 address (::ffff:127.0.0.1, ::ffff:7f00:1) is its IPv4 address
  const mapped = /^(?:(?:0{1,4}:){5}|::)ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(host);
  if (mapped && isIP(host) === 6) {
    if (mapped[1] !== undefined) return mapped[1].startsWith("127.");
    return parseInt(mapped[2]!, 16) >> 8 === 127;
  }
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

const INTERNAL_SUFFIXES = [".internal", ".local", ".localhost", ".svc", ".lan", ".home.arpa", ".intranet", ".corp", ".private"];

/**
 * A host inside the private network: loopback, link-local and private addresses (RFC 1918, RFC 4193),
 * a single-label name (a Kubernetes service, a Docker Compose service), or a name under a suffix
 * kept for private use.
 */
export function isInternalHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  if (isLoopback(name)) return true;
  const family = isIP(name);
  if (family === 4) {
    const [a, b] = name.split(".").map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (family === 6) return /^f[cd]/.test(name) || /^fe[89ab]/.test(name);
  return !name.includes(".") || INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** Kong resolves a service's host against the upstreams' names first: the targets decide then. */
function isUpstreamName(service: EntitySubject, host: string, context: RuleContext): boolean {
  return context
    .declaredOn(service.provider)
    .entities.some((e) => e.kind === "upstreams" && (e.workspace ?? "default") === (service.workspace ?? "default") && typeof e.body.name === "string" && e.body.name.toLowerCase() === host.toLowerCase());
}
