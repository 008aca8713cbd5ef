/**
 * The shape of the generated tables of facts: what scripts/generate-plugins.ts reads from Kong's
 * published plugin schemas and writes to src/schema/generated/, one module per plugin. Names, kinds,
 * defaults, enums, bounds, secret and referenceable markers, and the versions and editions in which
 * each plugin, field and value exists. Never a sentence of Kong's documentation.
 *
 * Versions are bit masks over {@link DataVersions}: bit i is set when the field exists in the i-th
 * version with published data (Kong Gateway Enterprise's schemas).
 */

/** What a field holds. */
export type FactKind = "string" | "integer" | "number" | "boolean" | "array" | "record" | "map" | "any";

/** The attributes of one field that may differ between versions (its children do not count). */
export interface FieldAttributes {
  /** kind */
  readonly t: FactKind;
  /** Kong's default (JSON), when it has one */
  readonly d?: unknown;
  /** allowed values (strings, or numbers for numeric enums) */
  readonly e?: readonly (string | number)[];
  /** inclusive bounds of a number */
  readonly min?: number;
  readonly max?: number;
  /** bounds of a string's length (characters), or of an array's items */
  readonly minLen?: number;
  readonly maxLen?: number;
  /** a regular expression the string must match (Kong's Lua pattern, translated) */
  readonly p?: string;
  /** required: Kong refuses the entity without it (a default fills it when there is one) */
  readonly req?: true;
  /** encrypted at rest by Kong Enterprise (a secret): never printed */
  readonly enc?: true;
  /** may be a vault reference (`{vault://…}`) */
  readonly ref?: true;
  /** Kong generates a value when a write leaves it unset (see `kong-generated.ts`): never required, no default */
  readonly g?: true;
}

/** One field: its attributes in the newest version that has it, overrides for other versions, children. */
export interface FieldFacts extends FieldAttributes {
  /** the versions that have the field; absent: every version of its parent */
  readonly v?: number;
  /**
   * an entity's field: the open-source versions that have it (a mask over OssVersions); absent: every
   * open-source version of the entity
   */
  readonly o?: number;
  /**
   * an entity's field: its allowed values in some open-source versions, where Kong's source narrows
   * those of the Enterprise data version: [open-source versions (a mask over OssVersions), values]
   */
  readonly oe?: ReadonlyArray<readonly [number, readonly (string | number)[]]>;
  /** other attributes in some versions: [versions, attributes] (children excluded) */
  readonly x?: ReadonlyArray<readonly [number, FieldAttributes]>;
  /** record: the fields, in Kong's order */
  readonly f?: Readonly<Record<string, FieldFacts>>;
  /** array: the items */
  readonly i?: FieldFacts;
  /** map: the values (keys are any strings) */
  readonly m?: FieldFacts;
}

/** One plugin: where it exists, the entity fields it takes, its config. */
export interface PluginFacts {
  /** Kong's name, e.g. `rate-limiting` */
  readonly name: string;
  /** the Enterprise versions that have it (a mask over data versions) */
  readonly ee: number;
  /** the open-source versions that bundle it (a mask over {@link OssVersions}); 0 for none */
  readonly oss: number;
  /** `protocols` */
  readonly protocols: FieldFacts;
  /** the foreign keys the plugin may be scoped to (`route`, `service`, `consumer`, `consumer_group`), each with its versions */
  readonly scopes: Readonly<Record<string, number>>;
  /** `config` */
  readonly config: FieldFacts;
  /** the partials (Enterprise 3.10+) the plugin supports, e.g. `redis-ee`, with their versions */
  readonly partials?: Readonly<Record<string, number>>;
}

/** One core entity (a service, a route, a consumer credential, …): where it exists, its fields. */
export interface EntityFacts {
  /** Kong's DAO name, e.g. `services` (see `entity-kinds.ts`) */
  readonly name: string;
  /** the Enterprise versions that have it (a mask over data versions) */
  readonly ee: number;
  /** the open-source versions that have it (a mask over OssVersions); 0 for none */
  readonly oss: number;
  /** the entity's fields, a record in Kong's order; its top-level fields may carry `o` */
  readonly fields: FieldFacts;
}
