/**
 * Kong's core entities as this library declares them: what the Admin API specifications do not say
 * and the constructs, the generator, the apply-time program and the CLI all need. Each row is a fact
 * of Kong's source (kong/db/schema/entities/*.lua, kong/plugins/<plugin>/daos.lua) or of the official
 * provider's resource list: the DAO name, the Admin API collection, the foreign keys and where they
 * point, the endpoint key (a name Kong accepts in a path instead of the id), the fields Kong keeps
 * unique, and the plugin whose DAO a consumer credential is. Field facts (kinds, defaults, enums,
 * bounds, versions) come from the specifications, through the generator (src/schema/generated/entities/).
 */

/** One kind of entity. */
export interface EntityKind {
  /** Kong's DAO name (`services`, `keyauth_credentials`): the generated table's file name */
  readonly name: string;
  /** the construct's class name: the official provider's resource type without `kong-gateway_`, PascalCased */
  readonly construct: string;
  /** the official provider's resource type */
  readonly resource: string;
  /** the Admin API collection (`services`, `key-auths`) */
  readonly collection: string;
  /** the entity in a sentence (`service`, `key-auth credential`) */
  readonly what: string;
  /** the schemas of the Admin API specifications that describe it, merged (`RouteJson` and `RouteExpression`) */
  readonly specSchemas: readonly string[];
  /** the foreign keys: Kong field → the DAO it points at */
  readonly foreign: Readonly<Record<string, string>>;
  /** the foreign key that must be given (a credential's consumer, a target's upstream) */
  readonly parent?: string;
  /** the field Kong accepts in a path instead of the id (`name`, `username`) */
  readonly endpointKey?: string;
  /** fields whose value Kong keeps unique in a workspace */
  readonly unique: readonly string[];
  /** a consumer credential: the plugin that defines it (it exists where the plugin does) */
  readonly plugin?: string;
  /** Kong Enterprise only */
  readonly enterprise?: boolean;
  /** string fields that are secrets (never printed), beside what the specifications mark encrypted */
  readonly secrets?: readonly string[];
  /**
   * Kong serves the entity only under its parent's path (kong/api/routes/targets.lua disables
   * `/targets`): `/upstreams/{upstream}/targets/{id}`
   */
  readonly nestedOnly?: boolean;
}

/**
 * Every entity kind, parents before children: a write goes in this order, a deletion in reverse
 * (plugins, which may point at any of them, go last and are deleted first).
 */
export const ENTITY_KINDS: readonly EntityKind[] = [
  kind("certificates", "Certificate", "certificates", "certificate", ["Certificate"], {}, { unique: [], secrets: ["key", "key_alt"] }),
  kind("ca_certificates", "CaCertificate", "ca_certificates", "CA certificate", ["CACertificate", "CA-Certificate"], {}, { unique: ["cert_digest"] }),
  kind("vaults", "Vault", "vaults", "vault", ["Vault"], {}, { endpointKey: "prefix", unique: ["prefix"] }),
  kind("key_sets", "KeySet", "key-sets", "key set", ["KeySet", "Key-set"], {}, { endpointKey: "name", unique: ["name"] }),
  kind("keys", "Key", "keys", "key", ["Key"], { set: "key_sets" }, { endpointKey: "name", unique: ["name", "kid"] }),
  kind("snis", "Sni", "snis", "SNI", ["SNI"], { certificate: "certificates" }, { parent: "certificate", endpointKey: "name", unique: ["name"] }),
  kind("consumer_groups", "ConsumerGroup", "consumer_groups", "consumer group", ["ConsumerGroup"], {}, { endpointKey: "name", unique: ["name"], enterprise: true }),
  kind("consumers", "Consumer", "consumers", "consumer", ["Consumer"], {}, { endpointKey: "username", unique: ["username", "custom_id"] }),
  kind("upstreams", "Upstream", "upstreams", "upstream", ["Upstream"], { client_certificate: "certificates" }, { endpointKey: "name", unique: ["name"] }),
  kind("targets", "Target", "targets", "target", ["Target"], { upstream: "upstreams" }, { parent: "upstream", unique: [], nestedOnly: true }),
  kind("services", "Service", "services", "service", ["Service"], { client_certificate: "certificates" }, { endpointKey: "name", unique: ["name"] }),
  kind("routes", "Route", "routes", "route", ["RouteJson", "RouteExpression", "Route"], { service: "services" }, { endpointKey: "name", unique: ["name"] }),
  credential("keyauth_credentials", "KeyAuth", "key-auths", "key-auth credential", ["KeyAuth"], "key-auth", ["key"], ["key"]),
  credential("basicauth_credentials", "BasicAuth", "basic-auths", "basic-auth credential", ["BasicAuth"], "basic-auth", ["username"], ["password"]),
  credential("jwt_secrets", "Jwt", "jwts", "JWT credential", ["JWT"], "jwt", ["key"], ["secret", "rsa_public_key"]),
  credential("hmacauth_credentials", "HmacAuth", "hmac-auths", "HMAC credential", ["HMACAuth"], "hmac-auth", ["username"], ["secret"]),
  credential("acls", "Acl", "acls", "ACL group membership", ["ACL"], "acl", [], []),
];

/** The kinds by DAO name. */
export const ENTITY_KIND_BY_NAME: ReadonlyMap<string, EntityKind> = new Map(ENTITY_KINDS.map((k) => [k.name, k]));

/** The collection an entity is written in: its kind's, or under its parent for a kind Kong serves only there. */
export function collectionOf(kind: EntityKind, parentId: string | undefined): string {
  if (!kind.nestedOnly || !kind.parent) return kind.collection;
  const parent = ENTITY_KIND_BY_NAME.get(kind.foreign[kind.parent]!)!;
  return `${parent.collection}/${encodeURIComponent(parentId ?? "")}/${kind.collection}`;
}

/** The rank of a kind in the write order (0 first); plugins rank after every entity. */
export function entityRank(name: string): number {
  const index = ENTITY_KINDS.findIndex((k) => k.name === name);
  return index < 0 ? ENTITY_KINDS.length : index;
}

function kind(
  name: string,
  construct: string,
  collection: string,
  what: string,
  specSchemas: readonly string[],
  foreign: Record<string, string>,
  rest: Pick<EntityKind, "unique"> & Partial<Pick<EntityKind, "endpointKey" | "parent" | "enterprise" | "secrets" | "nestedOnly">>,
): EntityKind {
  return { name, construct, resource: `kong-gateway_${snake(construct)}`, collection, what, specSchemas, foreign, ...rest };
}

function credential(name: string, construct: string, collection: string, what: string, specSchemas: readonly string[], plugin: string, unique: readonly string[], secrets: readonly string[]): EntityKind {
  return { ...kind(name, construct, collection, what, specSchemas, { consumer: "consumers" }, { parent: "consumer", unique, secrets }), plugin };
}

/** `CaCertificate` → `ca_certificate`, `KeyAuth` → `key_auth`. */
function snake(pascal: string): string {
  return pascal.replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase();
}
