/**
 * The `custom_validator`s of Kong's core entities, with Kong's messages: kong/tools/ip.lua
 * (`normalize_ip`, `check_hostname`, `format_host`), kong/db/schema/typedefs.lua (`validate_host`,
 * `validate_path`, `validate_wildcard_host`, `router_path`, …), targets.lua and upstreams.lua.
 */
import { isIP } from "node:net";

/** What `normalize_ip` finds in an address. */
export interface NormalizedIp {
  readonly type: "ipv4" | "ipv6" | "name";
  readonly host: string;
  readonly port?: number;
}

/** kong/tools/ip.lua `normalize_ip`: the address, or Kong's error message. */
export function normalizeIp(address: string): NormalizedIp | { readonly error: string } {
  const colons = (address.match(/:/g) ?? []).length;
  if (colons > 1) {
    const m = /^(\[[^\]]*\])(.*)$/.exec(address);
    let check = address;
    let port: number | undefined;
    if (m) {
      check = m[1]!.slice(1, -1);
      if (m[2] !== "") {
        const p = /^:(\d*)$/.exec(m[2]!);
        if (!p) return { error: "invalid ipv6 address" };
        port = Number(p[1]);
        if (port > 65535) return { error: "invalid port number" };
      }
    }
    if (isIP(check) !== 6) return { error: `invalid ipv6 address: ${address}` };
    return { type: "ipv6", host: check.toLowerCase(), port };
  }
  if (/^[\d.:]+$/.test(address) && /^[\d.]+$/.test(address.replace(":", ""))) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d+))?$/.exec(address);
    if (!m || [m[1], m[2], m[3], m[4]].some((o) => Number(o) > 255)) return { error: `invalid ipv4 address: ${address}` };
    const port = m[5] === undefined ? undefined : Number(m[5]);
    if (port !== undefined && port > 65535) return { error: "invalid port number" };
    return { type: "ipv4", host: [m[1], m[2], m[3], m[4]].map(Number).join("."), port };
  }
  const pm = /:(\d+)$/.exec(address);
  const name = pm ? address.slice(0, -(pm[1]!.length + 1)) : address;
  const port = pm ? Number(pm[1]) : undefined;
  if (port !== undefined && port > 65535) return { error: "invalid port number" };
  if (!/^[\dA-Za-z\-._]+$/.test(name)) return { error: `invalid hostname: ${address}` };
  const segments = name.split(".");
  if (segments.some((s, i) => s.endsWith("-") || (s === "" && i !== segments.length - 1))) return { error: `invalid hostname: ${address}` };
  return { type: "name", host: name, port };
}

/** typedefs.lua `validate_host`. */
export function validateHost(host: string): string | undefined {
  const res = normalizeIp(host);
  if ("error" in res) return res.error === "invalid port number" ? "must not have a port" : `invalid value: ${host}`;
  return res.port !== undefined ? "must not have a port" : undefined;
}

/** typedefs.lua `validate_host_with_optional_port`. */
export function validateHostWithOptionalPort(host: string): string | undefined {
  const res = normalizeIp(host);
  return "error" in res ? res.error : undefined;
}

/** typedefs.lua `validate_sni`. */
export function validateSni(host: string): string | undefined {
  const res = normalizeIp(host);
  if ("error" in res && res.error !== "invalid port number") return `invalid value: ${host}`;
  if (!("error" in res) && res.type !== "name") return "must not be an IP";
  if ("error" in res || res.port !== undefined) return "must not have a port";
  return undefined;
}

/** typedefs.lua `validate_wildcard_host` (SNIs, a route's `snis`). */
export function validateWildcardHost(host: string): string | undefined {
  const idx = host.indexOf("*");
  let mock = host;
  if (idx >= 0) {
    if (idx !== 0 && idx !== host.length - 1) return "wildcard must be leftmost or rightmost character";
    if ((host.match(/\*/g) ?? []).length > 1) return "only one wildcard must be specified";
    mock = host.replace("*", "wildcard");
  }
  // Kong validates (and names in its message) the host with the wildcard replaced
  return validateSni(mock);
}

/** typedefs.lua `hosts` elements: the wildcard patterns, then `validate_host_with_wildcards`. */
export function validateHostWithWildcards(host: string): string | undefined {
  if (!/^[^*]*\*?[^*]*$/.test(host)) return "invalid wildcard: must have at most one wildcard";
  if (!(/^\*\./.test(host) || /\.\*$/.test(host) || /^[^*]*$/.test(host))) return "invalid wildcard: must be placed at leftmost or rightmost label";
  return validateHostWithOptionalPort(host.replaceAll("*", "abc"));
}

/** typedefs.lua `validate_path`, after `starts_with = "/"` and `match_none` `//` (`typedefs.path`). */
export function validatePath(path: string): string | undefined {
  if (!path.startsWith("/")) return "should start with: /";
  if (path.includes("//")) return "must not have empty segments";
  return validatePathCharacters(path);
}

function validatePathCharacters(path: string): string | undefined {
  if (!/^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/.test(path)) return `invalid path: '${path}' (characters outside of the reserved list of RFC 3986 found)`;
  const raw = path.replace(/%[0-9a-fA-F]{2}/g, "___");
  const at = raw.indexOf("%");
  if (at >= 0) return `invalid url-encoded value: '${raw.slice(at, at + 3)}'`;
  return undefined;
}

/**
 * typedefs.lua `router_path`: `/` (prefix) or `~/` (regex), no empty segments; prefix paths must
 * be RFC 3986 and normalized (regex paths are not compiled: PCRE's messages are not reproduced).
 */
export function validateRouterPath(path: string): string | undefined {
  if (!path.startsWith("/") && !path.startsWith("~/")) return "should start with: / (fixed path) or ~/ (regex path)";
  if (path.includes("//")) return "must not have empty segments";
  if (path.startsWith("~")) return undefined;
  const err = validatePathCharacters(path);
  if (err !== undefined) return err;
  const normalized = normalizePath(path);
  return normalized === path ? undefined : `non-normalized path, consider use '${normalized}' instead`;
}

/** kong/tools/uri.lua `normalize(path, true)` for the cases that matter: dot segments removed. */
function normalizePath(path: string): string {
  const out: string[] = [];
  const segments = path.split("/").slice(1);
  segments.forEach((segment, i) => {
    if (segment === ".") {
      if (i === segments.length - 1) out.push("");
    } else if (segment === "..") {
      out.pop();
      if (i === segments.length - 1) out.push("");
    } else out.push(segment);
  });
  return `/${out.join("/")}`;
}

/** targets.lua `validate_target`. */
export function validateTarget(target: string): string | undefined {
  return "error" in normalizeIp(target) ? `Invalid target ('${target}'); not a valid hostname or ip address` : undefined;
}

/** kong/db/dao/targets.lua `format_target`: `host:port`, port 8000 when absent, IPv6 in brackets. */
export function formatTarget(target: string): string {
  const res = normalizeIp(target);
  if ("error" in res) return target;
  const host = res.type === "ipv6" ? `[${res.host}]` : res.host;
  return `${host}:${res.port ?? 8000}`;
}

/** upstreams.lua `validate_name`. */
export function validateUpstreamName(name: string): string | undefined {
  const res = normalizeIp(name);
  if ("error" in res) return `Invalid name ('${name}'); must be a valid hostname`;
  if (res.type !== "name") return `Invalid name ('${name}'); no ip addresses allowed`;
  if (res.port !== undefined) return `Invalid name ('${name}'); no port allowed`;
  return undefined;
}
