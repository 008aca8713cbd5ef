/**
 * Kong's vault references (`kong/pdk/vault.lua`, `is_reference`): a string that starts with
 * `{vault://` and ends with `}`. Kong stores one as it is and resolves it where the plugin runs, so
 * it is not a secret. Anything else in a secret field (`{vault://env/x` without its brace) is a
 * literal secret.
 */
export function isVaultReference(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("{vault://") && value.endsWith("}") && value.length > "{vault://}".length;
}
