// What the compiler produces: for every catalog object the principals and bits it grants, and for
// every managed location path the entries a directory or file there should carry, with reasons.

import type { AclEntry, Perm } from "../acl/entry.ts";
import type { LocationKind, RawLocation } from "../catalog/model.ts";
import type { Grant, Principal } from "../policy/model.ts";

export interface EntryReason {
  grant: Grant;
  /** The object the grant names: the table itself, its database, or a URI. */
  through: "table" | "database" | "uri";
}

export interface GrantedPerm {
  principal: Principal;
  /** Allowed bits, before denies are taken away. */
  perm: Perm;
  /** Bits a deny takes away; a denied user keeps a named entry, so his groups cannot let him in. */
  denied: Perm;
  reasons: EntryReason[];
}

export interface ObjectAcl {
  /** `db`, `db.table` or `uri:<uri>`. */
  name: string;
  kind: "database" | "table" | "uri";
  /** Keyed by principalKey (`group:analysts`). */
  grants: Map<string, GrantedPerm>;
}

export interface ContextLocation {
  object: string;
  kind: LocationKind | "uri";
  location: RawLocation;
}

/** A managed path where objects begin; everything below it belongs to it unless a deeper context starts. */
export interface LocationContext {
  path: string;
  /** Several objects may share one path; their grants are unioned. */
  objects: string[];
  locations: ContextLocation[];
  dir: AclEntry[];
  file: AclEntry[];
}

export interface IgnoredGrant {
  grant: Grant;
  reason: string;
  /** The object the grant names, when it names one (`db` or `db.table`). */
  object?: string;
  /** The object it names exists in no catalog: usually a misspelt or dropped name. */
  unlocated?: true;
}

export interface IgnoredLocation {
  uri: string;
  object: string;
  reason: string;
  location: RawLocation;
}

/** The `--x` access entries grantees need on the directories above their locations. */
export interface TraverseNeeds {
  /** Per directory path (root down to each location's parent). */
  entries: Map<string, AclEntry[]>;
  /** false ([compile] traverse = false): nothing is written, a directory in the way is reported. */
  write: boolean;
}

export interface DesiredState {
  objects: Map<string, ObjectAcl>;
  contexts: Map<string, LocationContext>;
  traverse?: TraverseNeeds;
  ignoredGrants: IgnoredGrant[];
  ignoredLocations: IgnoredLocation[];
}
