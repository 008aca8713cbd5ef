/**
 * The config fields Kong fills with a value of its own making when a write leaves them unset: a
 * random secret, key, namespace or cluster name. A whole-entity `PUT` without them makes Kong generate
 * a new one, which ends every session (`session`'s `secret`), invalidates every provisioned client
 * (`oauth2`'s `provision_key`), resets the counters (`namespace` of the advanced rate limiters) or
 * moves the producer to another cluster identity (`cluster_name` of the Kafka plugins). The
 * apply-time program carries the live value over instead, when the configuration sets none.
 *
 * A hand table: Kong's published schemas do not mark these fields (its Lua schemas say `auto = true`,
 * or give a random default). The 3.4 schemas list `namespace` and `provision_key` as required and
 * the session secret with the random default of the machine they were generated on; the generator
 * drops both facts for these fields and marks them `g` instead.
 */
export const KONG_GENERATED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  session: ["config.secret"],
  oauth2: ["config.provision_key"],
  "rate-limiting-advanced": ["config.namespace"],
  "graphql-rate-limiting-advanced": ["config.namespace"],
  "ai-rate-limiting-advanced": ["config.namespace"],
  "service-protection": ["config.namespace"],
  "kafka-log": ["config.cluster_name"],
  "kafka-upstream": ["config.cluster_name"],
  "kafka-consume": ["config.cluster_name"],
  confluent: ["config.cluster_name"],
  "confluent-consume": ["config.cluster_name"],
};

/** The generated fields of a plugin as paths of its body (`["config", "secret"]`). */
export function generatedFieldsOf(pluginName: string): ReadonlyArray<readonly string[]> {
  return (KONG_GENERATED_FIELDS[pluginName] ?? []).map((path) => path.split("."));
}
