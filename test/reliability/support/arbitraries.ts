/**
 * fast-check generators of session plugin configurations, valid and invalid: every field of the
 * plugin (Kong's snake_case body, and the camelCase props of PluginSession), each either a value
 * Kong's schema allows or one of many ways to break it. Written from Kong's schema files, not from
 * the library's validator, so the generator does not share its assumptions.
 */
import fc from "fast-check";

const SAME_SITE = ["Strict", "Lax", "None", "Default"];
const STORAGE = ["cookie", "kong"];
const HEADERS = ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"];
const LOGOUT = ["GET", "POST", "DELETE"];
const BIND = ["ip", "scheme", "user-agent"];
const PROTOCOLS = ["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"];

/** Strings that try to break out of a shell, a template, JSON or a terminal. */
export const HOSTILE = [
  "$(touch pwned)",
  "`touch pwned`",
  "; touch pwned",
  "' ; touch pwned ; '",
  '" && touch pwned && "',
  "${var.x}",
  "$${var.x}",
  "%{ if true }x%{ endif }",
  "line1\nline2\r\nline3",
  "nul\u0000byte",
  "\u001b[31mred\u001b[0m",
  "back\\slash\\n",
  "ünïcødé 日本語 🍪",
  "{{ template }}",
];

/** A non-empty string of any kind: ASCII, any Unicode code point, graphemes, or a hostile one. */
export const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 24, unit: "binary" }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ minLength: 500, maxLength: 3000, unit: "binary-ascii" }) },
);

/** Text with a lone UTF-16 surrogate: JSON.stringify escapes it, and Kong's JSON decoder refuses the body. */
export const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 4 }))
  .map(([a, c, b]) => `${a}${String.fromCharCode(c)}${b}`);

/** Values of the wrong JSON type for a field of kind `kind`. */
function wrongType(kind: "string" | "number" | "boolean" | "list" | "record" | "integer"): fc.Arbitrary<unknown> {
  const all = {
    string: fc.string(),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    boolean: fc.boolean(),
    list: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    record: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 4 }), { minKeys: 1, maxKeys: 2 }),
  };
  const others = Object.entries(all)
    .filter(([k]) => k !== kind && !(kind === "integer" && k === "number"))
    .map(([, arb]) => arb as fc.Arbitrary<unknown>);
  return fc.oneof(...others);
}

/** A field: the values its schema is meant to take, and the ways to break it. */
interface Field {
  readonly usual: fc.Arbitrary<unknown>;
  readonly broken: fc.Arbitrary<unknown>;
}

const field = (usual: fc.Arbitrary<unknown>, broken: fc.Arbitrary<unknown>): Field => ({ usual, broken });

const string = (): Field =>
  field(anyText, fc.oneof(fc.constant(""), loneSurrogate, wrongType("string")));

const oneOf = (values: readonly string[]): Field =>
  field(
    fc.constantFrom(...values),
    fc.oneof(
      fc.constantFrom(...values).map((v) => (v === v.toLowerCase() ? v.toUpperCase() : v.toLowerCase())),
      anyText,
      fc.constant(""),
      wrongType("string"),
    ),
  );

/** Numbers: integers, fractions, huge, zero, negative (Kong accepts negatives; the library does not). */
const number = (): Field =>
  field(
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) },
      { weight: 4, arbitrary: fc.double({ min: 0, max: 1e12, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, 1e300, 5e-324) },
      { weight: 1, arbitrary: fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), fc.integer({ max: -1 })) },
    ),
    fc.oneof(wrongType("number"), fc.integer().map(String)),
  );

const boolean = (): Field => field(fc.boolean(), fc.oneof(fc.constantFrom("true", "false", 0, 1), wrongType("boolean")));

/** A set or array of allowed items (duplicates included). */
const listOf = (values: readonly string[]): Field =>
  field(
    fc.array(fc.constantFrom(...values), { maxLength: 6 }),
    fc.oneof(
      fc.tuple(fc.array(fc.constantFrom(...values), { maxLength: 3 }), oneOf(values).broken).map(([items, bad]) => [...items, bad]),
      fc.constantFrom(...values),
      wrongType("list"),
    ),
  );

const UUID_CHARS = fc.constantFrom(..."0123456789abcdefABCDEF");
const hex = (length: number) => fc.string({ unit: UUID_CHARS, minLength: length, maxLength: length });
export const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join("-"));

const uuidish = (): Field =>
  field(
    uuid,
    fc.oneof(
      uuid.map((u) => u.replace(/-/g, "")),
      uuid.map((u) => `${u}0`),
      uuid.map((u) => `{${u}}`),
      uuid.map((u) => u.replace(/^./, "g")),
      string().usual,
      string().broken,
    ),
  );

const nonAscii = fc.integer({ min: 0x80, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c));

/** Kong's utf8_name: alphanumerics, `.`, `-`, `_`, `~` and any non-ASCII character. */
const NAME_UNIT = fc.oneof(fc.constantFrom(..."abcXYZ0189.-_~"), nonAscii);
const name = (): Field =>
  field(fc.string({ unit: NAME_UNIT, minLength: 1, maxLength: 16 }), fc.oneof(anyText, fc.constant(""), loneSurrogate, wrongType("string")));

/** Kong's tag: printable ASCII except `,` and `/`, space included, or non-ASCII. */
const TAG_UNIT = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x2c && c !== 0x2f).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: nonAscii },
);
const BAD_TAG_UNIT = fc.constantFrom(",", "/", "\t", "\n", "\u007f", "\u0000");
const tags = (): Field =>
  field(
    fc.array(fc.string({ unit: TAG_UNIT, minLength: 1, maxLength: 16 }), { maxLength: 4 }),
    fc.oneof(
      fc.tuple(fc.string({ unit: TAG_UNIT, maxLength: 4 }), BAD_TAG_UNIT, fc.string({ unit: TAG_UNIT, maxLength: 4 })).map((p) => [p.join("")]),
      fc.constant([""]),
      loneSurrogate.map((t) => [t]),
      fc.array(wrongType("string"), { minLength: 1, maxLength: 2 }),
      wrongType("list"),
    ),
  );

const condition = (): Field =>
  field(
    // characters, not bytes: 1,024 characters of 2, 3 or 4 bytes are valid
    fc.oneof(anyText, fc.string({ minLength: 1000, maxLength: 1024, unit: "binary-ascii" }), fc.string({ minLength: 1000, maxLength: 1024, unit: fc.constantFrom("é", "日", "🍪") })),
    fc.oneof(
      fc.string({ minLength: 1025, maxLength: 1100, unit: "binary-ascii" }),
      fc.string({ minLength: 1025, maxLength: 1100, unit: fc.constantFrom("é", "日", "🍪") }),
      string().broken,
    ),
  );

const integer = (): Field =>
  field(fc.integer({ min: 1, max: 2 ** 31 }), fc.oneof(fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e20, -1e20), wrongType("integer")));

/** A record field: each sub-field absent, usual, or (when chosen) broken. */
function recordOf(fields: Record<string, Field>): Field {
  const usual = fc.record(
    Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.usual])),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const keys = Object.keys(fields);
  const broken = fc.oneof(
    fc.tuple(usual, fc.constantFrom(...keys)).chain(([value, key]) => fields[key]!.broken.map((bad) => ({ ...value, [key]: bad }))),
    fc.tuple(usual, unknownKey, anyText).map(([value, key, v]) => ({ ...value, [key]: v })),
    wrongType("record"),
  );
  return field(usual, broken);
}

/** Unknown keys: plausible typos, deprecated names, camelCase. */
const unknownKey = fc.constantFrom("cookie_samesite_x", "cookieNmae", "cookie-name", "extra", "consumer", "ttl", "Secret");

/** Field kinds of `config`, in Kong's snake_case names. */
const CONFIG: Record<string, Field> = {
  secret: field(fc.oneof(anyText, fc.constant("{vault://env/session-secret}")), string().broken),
  storage: oneOf(STORAGE),
  audience: string(),
  idling_timeout: number(),
  rolling_timeout: number(),
  absolute_timeout: number(),
  stale_ttl: number(),
  cookie_name: string(),
  cookie_path: string(),
  cookie_domain: string(),
  cookie_same_site: oneOf(SAME_SITE),
  cookie_http_only: boolean(),
  cookie_secure: boolean(),
  remember: boolean(),
  remember_cookie_name: string(),
  remember_rolling_timeout: number(),
  remember_absolute_timeout: number(),
  response_headers: listOf(HEADERS),
  request_headers: listOf(HEADERS),
  read_body_for_logout: boolean(),
  logout_methods: listOf(LOGOUT),
  logout_query_arg: string(),
  logout_post_arg: string(),
  hash_subject: boolean(),
  store_metadata: boolean(),
  bind: listOf(BIND),
};

const access = () => recordOf({ access: field(fc.array(anyText, { maxLength: 3 }), fc.oneof(fc.constant([""]), wrongType("list"))) });

/** Top-level fields of the plugin body in Kong's names. */
const TOP: Record<string, Field> = {
  id: uuidish(),
  instance_name: name(),
  created_at: integer(),
  updated_at: integer(),
  enabled: boolean(),
  protocols: listOf(PROTOCOLS),
  tags: tags(),
  route: recordOf({ id: uuidish() }),
  service: recordOf({ id: uuidish() }),
  ordering: recordOf({ before: access(), after: access() }),
  partials: field(
    fc.array(recordOf({ id: uuidish(), name: name(), path: string() }).usual, { maxLength: 2 }),
    fc.oneof(fc.array(recordOf({ id: uuidish(), name: name(), path: string() }).broken, { minLength: 1, maxLength: 2 }), wrongType("list")),
  ),
  condition: condition(),
  config: recordOf(CONFIG),
};

/** How many fields a case breaks: none in about half of the cases. */
const breakCount = fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) });

/**
 * A whole plugin body in Kong's names (`"name": "session"`): each field absent or usual, then
 * 0, 1 or 2 fields broken (a top-level field, or one inside config or another record).
 */
export const kongPayload: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(recordOf(TOP).usual, fc.array(fc.constantFrom(...Object.keys(TOP), "(unknown)"), { minLength: 0, maxLength: 2 }), breakCount)
  .chain(([body, keys, count]) => {
    const chosen = [...new Set(keys.slice(0, count))];
    const breakers = chosen.map((key) =>
      key === "(unknown)" ? fc.tuple(unknownKey, anyText) : TOP[key]!.broken.map((bad) => [key, bad] as [string, unknown]),
    );
    return fc.tuple(...breakers).map((broken) => ({ name: "session", ...(body as Record<string, unknown>), ...Object.fromEntries(broken as Array<[string, unknown]>) }));
  });

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A case of PluginSession props (camelCase), and the Kong body they stand for: the same values under
 * Kong's names. Unknown keys stay as they are in both; a `null` prop (unset) is absent from the body.
 */
export const sessionProps: fc.Arbitrary<{ props: Record<string, unknown>; body: Record<string, unknown> }> = fc
  .tuple(kongPayload, fc.boolean())
  .map(([payload, withUnset]) => {
    const { name: _name, ...rest } = payload;
    const props: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (key === "config" && value !== null && typeof value === "object" && !Array.isArray(value)) {
        props.config = Object.fromEntries(Object.entries(value).map(([k, v]) => [CONFIG[k] ? camel(k) : k, v]));
      } else {
        props[TOP[key] ? camel(key) : key] = value;
      }
    }
    const body: Record<string, unknown> = { ...payload };
    if (withUnset) {
      props.enabled = null; // `null` reads as unset
      delete body.enabled;
    }
    return { props, body };
  });
