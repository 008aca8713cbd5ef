/**
 * The rules over plugins' configurations. Each reads the value Kong would take (the value given, or
 * Kong's default for the targeted version) and skips a value given by reference.
 */
import { onPlugins, type Finding, type Rule } from "./rule.js";
import { UNKNOWN, show, type PluginSubject } from "./subject.js";

/** Kong's authentication plugins: each identifies the client (a consumer, a credential or a token). */
export const AUTH_PLUGINS: readonly string[] = [
  "basic-auth",
  "header-cert-auth",
  "hmac-auth",
  "jwt",
  "key-auth",
  "key-auth-enc",
  "konnect-application-auth",
  "ldap-auth",
  "ldap-auth-advanced",
  "mtls-auth",
  "oauth2",
  "oauth2-introspection",
  "openid-connect",
  "saml",
  "vault-auth",
];

const SESSION = ["session"];

export const PLUGIN_RULES: readonly Rule[] = [
  {
    id: "KONG-SESSION-1",
    level: "error",
    summary: "session plugin: the session cookie is not `Secure` (`cookieSecure: false`)",
    fix: "leave `cookieSecure` unset (Kong's default is `true`) or set it to `true`",
    check: onPlugins(SESSION, (s) =>
      s.value("config.cookie_secure") === false && s.value("config.cookie_same_site") !== "None"
        ? [`${s.describe("config.cookie_secure")}: the browser sends the session cookie over plain http too, where anyone on the way reads it; set ${s.prop("config.cookie_secure")} to true`]
        : [],
    ),
  },
  {
    id: "KONG-SESSION-2",
    level: "error",
    summary: "session plugin: the session cookie is not `HttpOnly` (`cookieHttpOnly: false`)",
    fix: "leave `cookieHttpOnly` unset (Kong's default is `true`) or set it to `true`",
    check: onPlugins(SESSION, (s) =>
      s.value("config.cookie_http_only") === false
        ? [`${s.describe("config.cookie_http_only")}: the page's scripts can read the session cookie, so one injected script takes the session; set ${s.prop("config.cookie_http_only")} to true`]
        : [],
    ),
  },
  {
    id: "KONG-SESSION-3",
    level: "error",
    summary: "session plugin: `cookieSameSite: \"None\"` without `Secure` (browsers refuse the cookie)",
    fix: "set `cookieSecure: true`, or `cookieSameSite` to `\"Lax\"` or `\"Strict\"`",
    check: onPlugins(SESSION, (s) =>
      s.value("config.cookie_same_site") === "None" && s.value("config.cookie_secure") === false
        ? [
            `${s.prop("config.cookie_same_site")} is "None" and ${s.describe("config.cookie_secure")}: browsers refuse a SameSite=None cookie that is not Secure (no session is kept), and the cookie would travel over plain http; set ${s.prop("config.cookie_secure")} to true, or ${s.prop("config.cookie_same_site")} to "Lax" or "Strict"`,
          ]
        : [],
    ),
  },
  {
    id: "KONG-SESSION-4",
    level: "warning",
    summary: "session plugin: sessions have no absolute lifetime (`absoluteTimeout: 0`)",
    fix: "set `absoluteTimeout` to the longest a session may live, in seconds (Kong's default is 86400)",
    check: onPlugins(SESSION, (s) =>
      s.value("config.absolute_timeout") === 0
        ? [`${s.describe("config.absolute_timeout")}: a session that keeps being used never ends, so a stolen cookie stays good; set ${s.prop("config.absolute_timeout")} to the longest a session may live, in seconds (Kong's default: 86400)`]
        : [],
    ),
  },
  {
    id: "KONG-AUTH-1",
    level: "warning",
    summary: "key-auth (and key-auth-enc): the API key is passed on to the upstream service (`hideCredentials` false)",
    fix: "set `hideCredentials: true`",
    check: onPlugins(["key-auth", "key-auth-enc"], (s) =>
      s.value("config.hide_credentials") === false
        ? [`${s.describe("config.hide_credentials")}: the API key reaches the upstream service, whose logs and errors may leak it; set ${s.prop("config.hide_credentials")} to true`]
        : [],
    ),
  },
  {
    id: "KONG-AUTH-2",
    level: "warning",
    summary: "basic-auth: the password is passed on to the upstream service (`hideCredentials` false)",
    fix: "set `hideCredentials: true`",
    check: onPlugins(["basic-auth"], (s) =>
      s.value("config.hide_credentials") === false
        ? [`${s.describe("config.hide_credentials")}: the Authorization header, the user's password in it, reaches the upstream service; set ${s.prop("config.hide_credentials")} to true`]
        : [],
    ),
  },
  {
    id: "KONG-AUTH-3",
    level: "warning",
    summary: "key-auth: the API key is read from the query string (`keyInQuery`, `true` by default), which logs keep",
    fix: "set `keyInQuery: false` and send the key in a header",
    check: onPlugins(["key-auth", "key-auth-enc"], (s) =>
      s.value("config.key_in_query") === true
        ? [`${s.describe("config.key_in_query")}: a key in the URL is kept by access logs, proxies and browser history; set ${s.prop("config.key_in_query")} to false and send the key in a header`]
        : [],
    ),
  },
  {
    id: "KONG-AUTH-4",
    level: "warning",
    summary: "an authentication plugin lets requests that fail authentication through as an `anonymous` consumer",
    fix: "remove `anonymous`; when several authentication plugins are combined on purpose, suppress with the reason",
    check: onPlugins(AUTH_PLUGINS, (s) => {
      const anonymous = s.value("config.anonymous");
      if (anonymous === undefined || anonymous === null || anonymous === "" || anonymous === UNKNOWN) return [];
      return [
        `${s.prop("config.anonymous")} is ${show(anonymous)}: a request that fails authentication goes on as that consumer, so the route is open unless another plugin (acl, request-termination) refuses it; remove ${s.prop("config.anonymous")}, or suppress this rule with the reason when several authentication plugins are combined`,
      ];
    }),
  },
  {
    id: "KONG-RATE-1",
    level: "error",
    summary: "rate-limiting, response-ratelimiting, rate-limiting-advanced count per node (`policy`/`strategy` `\"local\"`, the default) on several nodes (a warning while `nodes` is not given)",
    fix: "set `policy: \"redis\"` (or `\"cluster\"` with a database); or pass `nodes: 1` when one node serves the traffic",
    check: onPlugins(["rate-limiting", "response-ratelimiting", "rate-limiting-advanced"], (s, context) => {
      const field = s.name === "rate-limiting-advanced" ? "config.strategy" : "config.policy";
      if (s.value(field) !== "local" || context.nodes === 1) return [];
      const instead = `set ${s.prop(field)} to "redis" (or "cluster" with a database)`;
      if (context.nodes === undefined) {
        return [
          {
            message: `${s.describe(field)}: each Kong node counts on its own, so on several nodes a client gets a multiple of the limit; ${instead}, or pass nodes: 1 to KongBestPractices when one node serves the traffic`,
            level: "warning",
          },
        ];
      }
      return [`${s.describe(field)}: each of the ${context.nodes} Kong nodes counts on its own, so a client gets up to ${context.nodes} times the limit; ${instead}`];
    }),
  },
  {
    id: "KONG-CORS-1",
    level: "error",
    summary: "cors: credentials for every origin (`credentials: true` with `origins` unset, holding `*`, or holding a pattern every origin matches such as `.*`: Kong then answers with the caller's origin)",
    fix: "list the allowed origins in `origins`",
    check: onPlugins(["cors"], (s) => {
      if (s.value("config.credentials") !== true) return [];
      const origins = s.value("config.origins");
      if (origins === UNKNOWN) return [];
      const list = Array.isArray(origins) ? origins : [];
      const anyOrigin = list.find((origin) => typeof origin === "string" && origin !== "*" && matchesAnyOrigin(origin));
      const every =
        list.length === 0
          ? `${s.prop("config.origins")} is ${origins === undefined ? "unset" : "empty"}`
          : list.includes("*")
            ? `${s.prop("config.origins")} has "*"`
            : anyOrigin !== undefined
              ? `${s.prop("config.origins")} has ${JSON.stringify(anyOrigin)}, a pattern every origin matches`
              : undefined;
      if (every === undefined) return [];
      return [
        `${s.prop("config.credentials")} is true and ${every}: Kong then answers any site with that site's own origin and Access-Control-Allow-Credentials, so every web page can send the user's cookies and read the answers; list the allowed origins in ${s.prop("config.origins")}`,
      ];
    }),
  },
  {
    id: "KONG-JWT-1",
    level: "error",
    summary: "jwt: tokens are accepted after they expire (`claimsToVerify` without `exp`)",
    fix: "add `\"exp\"` to `claimsToVerify`, and bound the lifetime with `maximumExpiration`",
    check: onPlugins(["jwt"], (s) => {
      const claims = s.value("config.claims_to_verify");
      if (claims === UNKNOWN || (Array.isArray(claims) && claims.includes("exp"))) return [];
      return [
        `${s.prop("config.claims_to_verify")} is ${show(claims)}, without "exp": Kong accepts a token after its expiry, and one without any; add "exp" to ${s.prop("config.claims_to_verify")}, and bound the lifetime with ${s.prop("config.maximum_expiration")}`,
      ];
    }),
  },
  {
    id: "KONG-IP-1",
    level: "warning",
    summary: "ip-restriction: `allow` has `0.0.0.0/0` or `::/0` and nothing is denied: it restricts nothing",
    fix: "list the networks that may call in `allow`",
    check: onPlugins(["ip-restriction"], (s) => {
      const allow = s.value("config.allow");
      const deny = s.value("config.deny");
      if (!Array.isArray(allow) || deny === UNKNOWN || (Array.isArray(deny) && deny.length > 0)) return [];
      const everyone = allow.filter((range) => typeof range === "string" && /^(?:0\.0\.0\.0|::)\/0$/.test(range));
      if (everyone.length === 0) return [];
      return [`${s.prop("config.allow")} has ${everyone.map((range) => JSON.stringify(range)).join(" and ")}, and nothing is denied: every address of that family may call, the plugin restricts nothing; list the networks that may call in ${s.prop("config.allow")}`];
    }),
  },
  {
    id: "KONG-OAUTH-1",
    level: "warning",
    summary: "oauth2: the implicit or the password grant is on (RFC 9700 deprecates both)",
    fix: "use the authorization code grant (`enableAuthorizationCode`, with PKCE) or client credentials",
    check: onPlugins(["oauth2"], (s) => {
      const grants = [
        ["config.enable_implicit_grant", "the implicit grant returns the token in the redirect URL, where it leaks"],
        ["config.enable_password_grant", "the password grant hands the user's password to the client"],
      ].filter(([field]) => s.value(field!) === true);
      if (grants.length === 0) return [];
      return [`${grants.map(([field, why]) => `${s.prop(field!)} is true (${why})`).join("; ")}: RFC 9700 (OAuth 2.0 Security Best Current Practice) deprecates ${grants.length === 1 ? "it" : "both"}; use the authorization code grant (${s.prop("config.enable_authorization_code")}, with PKCE) or client credentials`];
    }),
  },
  {
    id: "KONG-OIDC-1",
    level: "error",
    summary: "openid-connect: the token's signature or claims are not verified (`verifySignature`, `verifyClaims` false)",
    fix: "leave `verifySignature` and `verifyClaims` unset (Kong's default is `true`)",
    check: onPlugins(["openid-connect"], (s) => {
      const off = [
        ["config.verify_signature", "a token anyone could have made"],
        ["config.verify_claims", "a token of another issuer or audience, or one already expired"],
      ].filter(([field]) => s.value(field!) === false);
      if (off.length === 0) return [];
      const fields = off.map(([field]) => s.prop(field!)).join(" and ");
      return [`${fields} ${off.length === 1 ? "is" : "are"} false: Kong accepts ${off.map(([, what]) => what).join(", and ")}; set ${fields} to true`];
    }),
  },
  {
    id: "KONG-TLS-1",
    level: "error",
    summary: "a plugin talks TLS without verifying the peer's certificate: openid-connect's `sslVerify` (`false` by default before 3.14), the LDAP plugins' `verifyLdapHost` over `ldaps` or `startTls`, any record with `ssl` on and `sslVerify` off (Redis, Kafka, pgvector)",
    fix: "set the verification field to `true` (and the CA where Kong does not trust it)",
    check: onPlugins(undefined, (s) => tlsWithoutVerification(s)),
  },
];

/**
 * The TLS connections of a plugin that do not verify the peer: openid-connect's to its identity
 * provider, the LDAP plugins' over `ldaps` or `start_tls`, and every record with `ssl` on and
 * `ssl_verify` off (Redis, Kafka, pgvector; Kong's default before 3.14).
 */
function tlsWithoutVerification(s: PluginSubject): Finding[] {
  const found: Array<{ field: Array<string>; what: string }> = [];
  if (s.name === "openid-connect" && s.value("config.ssl_verify") === false) found.push({ field: ["config", "ssl_verify"], what: `${s.describe("config.ssl_verify")}: the identity provider's certificate is not verified` });
  if ((s.name === "ldap-auth" || s.name === "ldap-auth-advanced") && (s.value("config.ldaps") === true || s.value("config.start_tls") === true) && s.value("config.verify_ldap_host") === false) {
    found.push({ field: ["config", "verify_ldap_host"], what: `${s.describe("config.verify_ldap_host")}: the LDAP server's certificate is not verified` });
  }
  for (const record of sslRecords(s)) {
    if (s.value([...record, "ssl"]) === true && s.value([...record, "ssl_verify"]) === false) {
      found.push({ field: [...record, "ssl_verify"], what: `${s.prop([...record, "ssl"])} is true and ${s.describe([...record, "ssl_verify"])}: the server's certificate is not verified` });
    }
  }
  if (found.length === 0) return [];
  const fields = found.map(({ field }) => s.prop(field)).join(" and ");
  return [{ message: `${found.map(({ what }) => what).join("; ")}, so anyone on the path can pose as the server and read what the plugin sends; set ${fields} to true (and the CA where Kong does not trust it)` }];
}

/** Origins of sites that no allowed list names: a pattern that matches them all matches every origin. */
const FOREIGN_ORIGINS = ["https://attacker.example", "https://attacker.example:443", "http://evil.test:8080", "null"];

/**
 * Whether a cors origin matches every origin: Kong matches the request's origin against each one as a
 * regular expression anchored at both ends (kong/plugins/cors/handler.lua), so `.*` allows them all.
 */
function matchesAnyOrigin(origin: string): boolean {
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${origin})$`);
  } catch {
    return false;
  }
  return FOREIGN_ORIGINS.filter((o) => o !== "null").every((o) => pattern.test(o));
}

/** The records of a plugin's config (three levels deep) that have both `ssl` and `ssl_verify`. */
function sslRecords(s: PluginSubject): Array<Array<string>> {
  const facts = s.facts;
  if (!facts) return [];
  const out: string[][] = [];
  const visit = (field: typeof facts.config, path: string[]) => {
    const fields = field.f ?? {};
    if (path.length > 1 && fields.ssl?.t === "boolean" && fields.ssl_verify?.t === "boolean") out.push(path);
    if (path.length < 4) for (const [name, child] of Object.entries(fields)) if (child.t === "record") visit(child, [...path, name]);
  };
  visit(facts.config, ["config"]);
  return out;
}
