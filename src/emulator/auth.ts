// Who a WebHDFS request runs as on an insecure NameNode: `user.name` (or the anonymous dr.who),
// `doas` for proxy users, or a `delegation` token this emulator issued earlier.

import { randomBytes } from "node:crypto";
import type { EmulatorNamespace } from "./namespace.ts";
import type { Params } from "./params.ts";
import type { Caller } from "./permission.ts";
import { remote } from "./remote-error.ts";

/** hadoop.http.staticuser.user: the identity of a request that names nobody. */
export const ANONYMOUS_USER = "dr.who";

export class TokenStore {
  private readonly owners = new Map<string, string>();

  issue(user: string): string {
    const token = randomBytes(24).toString("base64url");
    this.owners.set(token, user);
    return token;
  }

  cancel(token: string): boolean {
    return this.owners.delete(token);
  }

  owner(token: string): string | undefined {
    return this.owners.get(token);
  }
}

export function authenticate(params: Params, ns: EmulatorNamespace, tokens: TokenStore): Caller {
  const token = params.get("delegation");
  let realUser: string;
  if (token !== undefined) {
    const owner = tokens.owner(token);
    if (owner === undefined) throw remote.invalidToken(`token (${token}) can't be found in cache`);
    realUser = owner;
  } else {
    realUser = params.user("user.name") ?? ANONYMOUS_USER;
  }
  const doAs = params.get("doas");
  if (doAs === undefined || doAs === realUser) return ns.caller(realUser);
  // Proxy-user rules are configuration; here only the superuser may impersonate.
  if (!ns.caller(realUser).isSuper) {
    throw remote.authorization(`User: ${realUser} is not allowed to impersonate ${doAs}`);
  }
  return ns.caller(doAs);
}
