// The parts of Ranger's JSON model (RangerPolicy, RangerRole) a reader needs, validated as untrusted
// input: unknown keys are ignored and missing lists are empty, as Ranger's own serialisers do.

import { z } from "zod";

const names = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

const access = z.object({ type: z.string(), isAllowed: z.boolean().nullish() });

export const policyItemSchema = z.object({
  accesses: z
    .array(access)
    .nullish()
    .transform((v) => v ?? []),
  users: names,
  groups: names,
  roles: names,
  conditions: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});
export type RangerPolicyItemJson = z.infer<typeof policyItemSchema>;

const resource = z.object({ values: names, isExcludes: z.boolean().nullish() });
const resources = z.record(z.string(), resource);
export type RangerResourcesJson = z.infer<typeof resources>;

const items = z
  .array(policyItemSchema)
  .nullish()
  .transform((v) => v ?? []);

export const policySchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  service: z.string().nullish(),
  isEnabled: z.boolean().nullish(),
  policyType: z.number().int().nullish(),
  policyPriority: z.number().int().nullish(),
  resources: resources.nullish().transform((v) => v ?? {}),
  additionalResources: z
    .array(resources)
    .nullish()
    .transform((v) => v ?? []),
  policyItems: items,
  denyPolicyItems: items,
  allowExceptions: items,
  denyExceptions: items,
  isDenyAllElse: z.boolean().nullish(),
  zoneName: z.string().nullish(),
  conditions: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
  validitySchedules: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});
export type RangerPolicyJson = z.infer<typeof policySchema>;

const member = z.object({ name: z.string() });
const members = z
  .array(member)
  .nullish()
  .transform((v) => (v ?? []).map((m) => m.name));

export const roleSchema = z.object({
  name: z.string(),
  isEnabled: z.boolean().nullish(),
  users: members,
  groups: members,
  roles: members,
});
export type RangerRoleJson = z.infer<typeof roleSchema>;
