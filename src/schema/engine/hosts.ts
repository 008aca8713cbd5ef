/**
 * Kong's rules for host names at synth, as kong/tools/ip.lua and kong/db/schema/typedefs.lua state
 * them (the library's own reading, independent of the emulator's): an address is an IPv4 or IPv6
 * address or a host name of letters, digits, `-`, `.` and `_`, whose labels do not end in `-`,
 * optionally with a port up to 65535. Each check returns Kong's message, or undefined.
 */
import { isIP } from "node:net";

interface Address {
  readonly type: "ipv4" | "ipv6" | "name";
  readonly port?: number;
}

/** An address as Kong reads it, or why it is none. */
function parse(address: string): Address | { readonly error: string } {
  if ((address.match(/:/g) ?? []).length > 1) {
    // IPv6, bare or in brackets with a port
    const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(address);
    const host = bracketed ? bracketed[1]! : address;
    const port = bracketed?.[2] === undefined ? undefined : Number(bracketed[2]);
    if (port !== undefined && port > 65535) return { error: "invalid port number" };
    return isIP(host) === 6 ? { type: "ipv6", ...(port !== undefined ? { port } : {}) } : { error: `invalid ipv6 address: ${address}` };
  }
  const [host, portText] = address.split(":") as [string, string | undefined];
  const port = portText === undefined ? undefined : /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (port !== undefined && !(port <= 65535)) return { error: Number.isNaN(port) ? `invalid hostname: ${address}` : "invalid port number" };
  if (/^[\d.]+$/.test(host)) return isIP(host) === 4 ? { type: "ipv4", ...(port !== undefined ? { port } : {}) } : { error: `invalid ipv4 address: ${address}` };
  const labels = host.split(".");
  if (!/^[\dA-Za-z\-._]+$/.test(host) || labels.some((label, i) => label.endsWith("-") || (label === "" && i !== labels.length - 1))) return { error: `invalid hostname: ${address}` };
  return { type: "name", ...(port !== undefined ? { port } : {}) };
}

/** A service's `host` (`typedefs.host`): an address without a port. */
export function hostProblem(host: string): string | undefined {
  const address = parse(host);
  if ("error" in address) return address.error === "invalid port number" ? "must not have a port" : `invalid value: ${host}`;
  return address.port !== undefined ? "must not have a port" : undefined;
}

/** An address that may have a port (an upstream's `host_header`, a target). */
export function hostWithPortProblem(host: string): string | undefined {
  const address = parse(host);
  return "error" in address ? address.error : undefined;
}

/** A route's `hosts` element: at most one wildcard, as the leftmost or rightmost label. */
export function routeHostProblem(host: string): string | undefined {
  if ((host.match(/\*/g) ?? []).length > 1) return "invalid wildcard: must have at most one wildcard";
  if (host.includes("*") && !host.startsWith("*.") && !host.endsWith(".*")) return "invalid wildcard: must be placed at leftmost or rightmost label";
  return hostWithPortProblem(host.replace("*", "abc"));
}

/** An SNI (a route's `snis` element, an SNI's `name`): a host name, no IP, no port; one wildcard at either end. */
export function sniProblem(name: string): string | undefined {
  const stars = (name.match(/\*/g) ?? []).length;
  if (stars > 0 && !name.startsWith("*") && !name.endsWith("*")) return "wildcard must be leftmost or rightmost character";
  if (stars > 1) return "only one wildcard must be specified";
  const mock = name.replace("*", "wildcard");
  const address = parse(mock);
  if ("error" in address && address.error !== "invalid port number") return `invalid value: ${mock}`;
  if (!("error" in address) && address.type !== "name") return "must not be an IP";
  if ("error" in address || address.port !== undefined) return "must not have a port";
  return undefined;
}

/** An upstream's `name`: a host name, no IP, no port. */
export function upstreamNameProblem(name: string): string | undefined {
  const address = parse(name);
  if ("error" in address) return `Invalid name ('${name}'); must be a valid hostname`;
  if (address.type !== "name") return `Invalid name ('${name}'); no ip addresses allowed`;
  if (address.port !== undefined) return `Invalid name ('${name}'); no port allowed`;
  return undefined;
}

/** A target: an address, with a port or not. */
export function targetProblem(target: string): string | undefined {
  return "error" in parse(target) ? `Invalid target ('${target}'); not a valid hostname or ip address` : undefined;
}
