/**
 * The Kong a stack targets (`KongGatewayProvider`'s `kongVersion` and `edition`), and what exists
 * there: which version's facts apply, and how a mask of versions reads in a message.
 */
import { DATA_VERSIONS, OSS_VERSIONS } from "../generated/versions.js";

export type KongEdition = "oss" | "enterprise";

/** The Kong a stack's plugins are validated for. */
export interface KongTarget {
  readonly edition: KongEdition;
  /** `major.minor`, e.g. `3.9` (a patch or Enterprise build suffix is allowed and ignored) */
  readonly version: string;
}

/** The newest Kong Gateway Enterprise with published schemas: what a stack targets unless it says. */
export const DEFAULT_TARGET: KongTarget = { edition: "enterprise", version: DATA_VERSIONS[DATA_VERSIONS.length - 1]! };

/** A target resolved against the data. */
export interface ResolvedTarget extends KongTarget {
  /** the index in DATA_VERSIONS whose facts apply (the newest published version at or before it) */
  readonly dataIndex: number;
  /** for open-source Kong, the index in OSS_VERSIONS */
  readonly ossIndex?: number;
  /** `Kong Enterprise 3.9`, `open-source Kong 3.9` */
  readonly label: string;
}

const compare = (a: string, b: string) => {
  const [am, an] = a.split(".").map(Number) as [number, number];
  const [bm, bn] = b.split(".").map(Number) as [number, number];
  return am - bm || an - bn;
};

/** `3.9.1` → `3.9`, `3.4.3.17` → `3.4`; undefined when it is no version. */
export function majorMinor(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+){0,2}$/.exec(version.trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** What is wrong with a target, or undefined. */
export function targetProblem(target: { readonly edition?: unknown; readonly version?: unknown }): { field: "edition" | "kongVersion"; message: string } | undefined {
  if (target.edition !== undefined && target.edition !== "oss" && target.edition !== "enterprise") {
    return { field: "edition", message: 'expected one of: oss, enterprise' };
  }
  if (target.version === undefined) return undefined;
  const version = typeof target.version === "string" ? majorMinor(target.version) : undefined;
  const edition = (target.edition ?? DEFAULT_TARGET.edition) as KongEdition;
  const [first, last] = edition === "oss" ? [OSS_VERSIONS[0]!, OSS_VERSIONS[OSS_VERSIONS.length - 1]!] : [DATA_VERSIONS[0]!, DATA_VERSIONS[DATA_VERSIONS.length - 1]!];
  if (version === undefined) return { field: "kongVersion", message: `expected a Kong version such as "${last}"` };
  if (compare(version, first) < 0 || compare(version, last) > 0) {
    const which = edition === "oss" ? `open-source Kong: ${first} to ${last} (its last release)` : `Kong Enterprise: ${first} to ${last}`;
    return { field: "kongVersion", message: `expected a version of ${which}` };
  }
  return undefined;
}

/** A valid target resolved; throws on an invalid one (check {@link targetProblem} first). */
export function resolveTarget(target: KongTarget = DEFAULT_TARGET): ResolvedTarget {
  const version = majorMinor(target.version);
  if (version === undefined) throw new Error(`invalid Kong version ${JSON.stringify(target.version)}`);
  let dataIndex = -1;
  DATA_VERSIONS.forEach((v, i) => {
    if (compare(v, version) <= 0) dataIndex = i;
  });
  if (dataIndex < 0) throw new Error(`Kong ${version} is older than the oldest published data (${DATA_VERSIONS[0]})`);
  const ossIndex = target.edition === "oss" ? (OSS_VERSIONS as readonly string[]).indexOf(version) : undefined;
  if (ossIndex === -1) throw new Error(`open-source Kong has no version ${version}`);
  return {
    edition: target.edition,
    version,
    dataIndex,
    ...(ossIndex === undefined ? {} : { ossIndex }),
    label: `${target.edition === "oss" ? "open-source Kong" : "Kong Enterprise"} ${version}`,
  };
}

/** Whether a mask over DATA_VERSIONS includes the target's facts. */
export function inMask(mask: number | undefined, target: ResolvedTarget): boolean {
  return mask === undefined || (mask & (1 << target.dataIndex)) !== 0;
}

/**
 * The versions of a mask for a message: `3.12+`, `3.4 to 3.9`, `3.4, 3.10+` (Enterprise versions;
 * the versions without published schemas, 3.5 and 3.6, count with the version before them).
 */
export function describeMask(mask: number): string {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < DATA_VERSIONS.length; i++) {
    if ((mask & (1 << i)) === 0) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else ranges.push([i, i]);
  }
  const newest = DATA_VERSIONS.length - 1;
  return ranges
    .map(([a, b]) => (b === newest ? `${DATA_VERSIONS[a]}+` : a === b ? DATA_VERSIONS[a]! : `${DATA_VERSIONS[a]} to ${DATA_VERSIONS[b]}`))
    .join(", ");
}

/** The open-source versions of an `oss` mask, e.g. `3.4+` (of open-source Kong, whose last is 3.9). */
export function describeOssMask(mask: number): string {
  const versions = OSS_VERSIONS.filter((_, i) => (mask & (1 << i)) !== 0);
  if (versions.length === 0) return "none";
  const first = OSS_VERSIONS.indexOf(versions[0]!);
  const contiguous = versions.every((v, i) => OSS_VERSIONS.indexOf(v) === first + i);
  if (contiguous && versions[versions.length - 1] === OSS_VERSIONS[OSS_VERSIONS.length - 1]) return `${versions[0]}+`;
  return versions.join(", ");
}
