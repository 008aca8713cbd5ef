/**
 * The one naming rule of the generated constructs, as cdktf names the classes and attributes of a
 * provider's generated binding (its `toPascalCase`/`toCamelCase`: the `camelcase` package, which also
 * capitalizes a letter that follows a digit), so that code written for a binding of Kong's provider
 * fits:
 *
 *   Kong plugin `rate-limiting` → resource `kong-gateway_plugin_rate_limiting`
 *                               → drop `kong-gateway_`, PascalCase the rest → `PluginRateLimiting`
 *   `ai-a2a-proxy` → `kong-gateway_plugin_ai_a2a_proxy` → `PluginAiA2AProxy`
 *   Kong field `ssl_verify` → prop `sslVerify`; `x5t` → `x5T`; `http_2_enabled` → `http2Enabled`
 */

/** The official provider's resource type of a plugin: `kong-gateway_plugin_<name with _ for ->`. */
export function resourceName(pluginName: string): string {
  return `kong-gateway_plugin_${pluginName.replace(/-/g, "_")}`;
}

/** The construct's class name: the resource name without `kong-gateway_`, in PascalCase. */
export function constructName(pluginName: string): string {
  return pascalCase(resourceName(pluginName).replace(/^kong-gateway_/, ""));
}

/**
 * Field names the official provider spells otherwise than Kong (its attribute names must be
 * identifiers): the prop follows the provider's spelling.
 */
const PROVIDER_SPELLINGS: Readonly<Record<string, string>> = {
  "X-Cache-Key": "x_cache_key",
  "X-Cache-Status": "x_cache_status",
  "x5t#S256": "x5t_number_s256",
};

/** The prop name of a Kong field, as cdktf's binding names the attribute. */
export function propName(kongName: string): string {
  let name = propNames.get(kongName);
  if (name === undefined) {
    name = camelCase(PROVIDER_SPELLINGS[kongName] ?? kongName);
    propNames.set(kongName, name);
  }
  return name;
}

/** Every Kong field name met so far, camelCased: synth converts the same few hundred names again and again. */
const propNames = new Map<string, string>();

/** `plugin_ai_a2a_proxy` → `PluginAiA2AProxy`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/**
 * `http_2_enabled` → `http2Enabled`, `x5t` → `x5T`, `X-Cache-Key` → `xCacheKey`: the rules of the
 * `camelcase` package (6.x) that cdktf's binding generator uses: a case change inside a word splits
 * it, separators (`_`, `-`, `.`, space) are dropped and the next character upper-cased, a character
 * after digits upper-cased, everything else lower-cased.
 */
export function camelCase(name: string): string {
  let input = name.trim();
  if (input.length === 0) return "";
  if (input.length === 1) return input.toLowerCase();
  if (input !== input.toLowerCase()) input = splitCaseChanges(input);
  input = input.replace(/^[_.\- ]+/, "").toLowerCase();
  return input
    .replace(/[_.\- ]+([\p{Alpha}\p{N}_]|$)/gu, (_, next: string) => next.toUpperCase())
    .replace(/\d+([\p{Alpha}\p{N}_]|$)/gu, (match) => match.toUpperCase());
}

/** `fooBar` → `foo-Bar`, `HTTPServer` → `HTTP-Server` (the package's `preserveCamelCase`). */
function splitCaseChanges(text: string): string {
  const isLower = (c: string) => c.toLowerCase() === c && c.toUpperCase() !== c;
  const isUpper = (c: string) => c.toUpperCase() === c && c.toLowerCase() !== c;
  let out = text;
  let lastLower = false;
  let lastUpper = false;
  let lastLastUpper = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (lastLower && isUpper(c)) {
      out = `${out.slice(0, i)}-${out.slice(i)}`;
      lastLower = false;
      lastLastUpper = lastUpper;
      lastUpper = true;
      i++;
    } else if (lastUpper && lastLastUpper && isLower(c)) {
      out = `${out.slice(0, i - 1)}-${out.slice(i - 1)}`;
      lastLastUpper = lastUpper;
      lastUpper = false;
      lastLower = true;
    } else {
      lastLower = isLower(c);
      lastLastUpper = lastUpper;
      lastUpper = isUpper(c);
    }
  }
  return out;
}
