// The ACL model's public surface, shared by the compiler, the reconcile engine and every target.
export * from "./entry.ts";
export * from "./merge.ts";
export * from "./spec.ts";
