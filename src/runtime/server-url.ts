/**
 * The Admin API URL: checked, written one way, and shown without credentials. Shared by the
 * construct (at synth, so that equivalent spellings of one URL never reach Terraform as different
 * strings), the apply-time program and the CLI.
 */

/** A server URL read: its one spelling, or what is wrong with it. */
export type ServerUrlCheck = { readonly url: string; readonly problem?: undefined } | { readonly url?: undefined; readonly problem: string };

/**
 * The one spelling of an Admin API URL: scheme and host in lower case, no default port (80 for
 * http, 443 for https), percent-encoding as WHATWG URLs write it, no trailing slash (a path prefix
 * such as `/kong-admin` is kept). Refused: anything but http and https, user info (the admin token
 * comes from `KONG_ADMIN_TOKEN`), a query or a fragment (the program builds the paths; a `?token=`
 * would be printed in messages).
 */
export function normaliseServerUrl(text: string): ServerUrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { problem: "expected an http:// or https:// URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { problem: "expected an http:// or https:// URL" };
  if (url.username !== "" || url.password !== "") {
    return { problem: "must not contain credentials; set KONG_ADMIN_TOKEN in Terraform's environment" };
  }
  if (url.search !== "" || text.includes("?")) return { problem: "must not have a query string (?…): credentials and options do not belong in the URL" };
  if (url.hash !== "" || text.includes("#")) return { problem: "must not have a fragment (#…)" };
  return { url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}` };
}

/**
 * A URL as it may be printed: everything between the scheme and the last `@` (user info, in any
 * spelling a parser might accept, with or without `//`) replaced by `<redacted>`, and any query
 * string or fragment dropped.
 */
export function showServerUrl(text: string): string {
  let shown = text;
  const at = shown.lastIndexOf("@");
  if (at !== -1) {
    // a scheme only where it is one (`user:pass@host` has none: `user:` is user info)
    const scheme = /^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:[/\\]{2}|https?:[/\\]*)/i.exec(shown)?.[0] ?? "";
    shown = `${scheme}<redacted>${shown.slice(at)}`;
  }
  const cut = shown.search(/[?#]/);
  return cut === -1 ? shown : `${shown.slice(0, cut)}${cut < shown.length - 1 ? "?<redacted>" : ""}`;
}
