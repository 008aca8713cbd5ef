/**
 * The emulator's database: workspaces, each with its tables (services, routes, consumers, …) and
 * plugins. Plain in-memory maps; the rules Kong's Postgres enforces (unique keys, foreign keys,
 * cascades) live in entity-dao.ts and plugin-dao.ts.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject } from "./schema-engine.js";

/** A service as Kong stores it (every field of services.lua; absent values null). */
export interface StoredService extends JsonObject {
  readonly id: string;
  readonly name: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** A route as Kong stores it (every field of routes.lua; absent values null). */
export interface StoredRoute extends JsonObject {
  readonly id: string;
  readonly name: string | null;
  readonly protocols: readonly string[];
  readonly service: { readonly id: string } | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** One workspace and everything in it. */
export interface WorkspaceState {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
  /** every core entity and credential but plugins, by DAO name, then by id, in insertion order */
  readonly tables: Map<string, Map<string, JsonObject>>;
  /** `tables.get("services")` */
  readonly services: Map<string, StoredService>;
  /** `tables.get("routes")` */
  readonly routes: Map<string, StoredRoute>;
  /** plugins by id, in insertion order; values are complete entities */
  readonly plugins: Map<string, JsonObject>;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** In-memory state of the emulated Kong. */
export class EmulatorStore {
  private readonly byName = new Map<string, WorkspaceState>();

  constructor(private readonly extraWorkspaces: readonly string[]) {
    this.reset();
  }

  /** Forgets every entity; keeps `default` and the configured workspaces. */
  reset(): void {
    this.byName.clear();
    this.addWorkspace("default");
    for (const name of this.extraWorkspaces) this.addWorkspace(name);
  }

  /** Adds an empty workspace; throws when it exists. */
  addWorkspace(name: string): WorkspaceState {
    if (!name || /[/?#]/.test(name)) throw new TypeError(`invalid workspace name '${name}'`);
    if (this.byName.has(name)) throw new Error(`workspace '${name}' already exists`);
    const tables = new Map<string, Map<string, JsonObject>>();
    const services = new Map<string, StoredService>();
    const routes = new Map<string, StoredRoute>();
    tables.set("services", services as Map<string, JsonObject>);
    tables.set("routes", routes as Map<string, JsonObject>);
    const ws: WorkspaceState = { id: randomUUID(), name, created_at: now(), tables, services, routes, plugins: new Map() };
    this.byName.set(name, ws);
    return ws;
  }

  /** The rows of one DAO in a workspace (created empty on first use). */
  table(ws: WorkspaceState, kind: string): Map<string, JsonObject> {
    let rows = ws.tables.get(kind);
    if (!rows) {
      rows = new Map();
      ws.tables.set(kind, rows);
    }
    return rows;
  }

  /** The first row of a DAO whose `field` equals `value`. */
  findBy(ws: WorkspaceState, kind: string, field: string, value: unknown): JsonObject | undefined {
    for (const row of this.table(ws, kind).values()) if (row[field] === value) return row;
    return undefined;
  }

  /** A workspace by name or id. */
  workspace(nameOrId: string): WorkspaceState | undefined {
    const byName = this.byName.get(nameOrId);
    if (byName) return byName;
    const id = nameOrId.toLowerCase();
    return [...this.byName.values()].find((ws) => ws.id === id);
  }

  /** A workspace by name; throws when unknown. */
  requireWorkspace(name: string): WorkspaceState {
    const ws = this.byName.get(name);
    if (!ws) throw new Error(`unknown workspace '${name}'`);
    return ws;
  }

  /** All workspaces, in creation order. */
  workspaces(): WorkspaceState[] {
    return [...this.byName.values()];
  }

  /** A service by name. */
  serviceByName(ws: WorkspaceState, name: string): StoredService | undefined {
    return this.findBy(ws, "services", "name", name) as StoredService | undefined;
  }

  /** A route by name. */
  routeByName(ws: WorkspaceState, name: string): StoredRoute | undefined {
    return this.findBy(ws, "routes", "name", name) as StoredRoute | undefined;
  }

  /** Routes pointing at a service. */
  routesOfService(ws: WorkspaceState, serviceId: string): StoredRoute[] {
    return [...ws.routes.values()].filter((r) => r.service?.id === serviceId);
  }

  /** A plugin by instance name. */
  pluginByInstanceName(ws: WorkspaceState, instanceName: string): JsonObject | undefined {
    return [...ws.plugins.values()].find((p) => p["instance_name"] === instanceName);
  }

  /** Plugins sorted by id, the order of Kong's listings. */
  pluginsById(ws: WorkspaceState): JsonObject[] {
    return [...ws.plugins.values()].sort((a, b) => compareIds(a["id"] as string, b["id"] as string));
  }
}

/** Postgres' order of UUIDs (lower-case hex order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
