// The Kerberized NameNode's authentication filter (Hadoop's AuthenticationFilter with the
// KerberosAuthenticationHandler): a valid signed `hadoop.auth` cookie, or a SPNEGO token checked
// for real with the service keytab (GSSAPI acceptor), or 401 `WWW-Authenticate: Negotiate`.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface KerberosSettings {
  /** The service keytab holding the key of `principal`. */
  keytab: string;
  /** `HTTP/<host>@REALM`: clients must ask for a ticket to this principal. */
  principal: string;
  /** hadoop.http.authentication.token.validity (default 36000 s). */
  cookieValidityMs?: number;
}

/** What the filter decided: a user (with headers for the answer), or an answer of its own. */
export type FilterResult =
  | { user: string; headers: Record<string, string> }
  | { status: 401 | 403; headers: Record<string, string>; message: string };

type KerberosModule = typeof import("kerberos");

export class SpnegoFilter {
  /** SPNEGO tokens accepted (each one a handshake). */
  handshakes = 0;
  /** Requests refused (401 or 403). */
  refused = 0;
  private readonly secret = randomBytes(32);
  private readonly service: string;
  private readonly validityMs: number;
  private kerberos?: Promise<KerberosModule>;

  constructor(
    settings: KerberosSettings,
    private readonly secure: boolean,
    private readonly clock: () => number = Date.now,
  ) {
    const m = /^([^/@]+)\/([^@]+)(@.+)?$/.exec(settings.principal);
    if (!m) throw new Error(`--principal must look like HTTP/host@REALM, not ${settings.principal}`);
    this.service = `${m[1]}@${m[2]}`;
    this.validityMs = settings.cookieValidityMs ?? 36_000_000;
    // The acceptor reads its keys from the default keytab; MIT krb5 takes it from the environment.
    process.env.KRB5_KTNAME = `FILE:${settings.keytab}`;
  }

  async authenticate(req: IncomingMessage): Promise<FilterResult> {
    const fromCookie = this.verifyCookie(req.headers.cookie);
    if (fromCookie !== undefined) return { user: fromCookie, headers: {} };
    const auth = req.headers.authorization;
    const m = auth === undefined ? null : /^Negotiate\s+(\S+)\s*$/i.exec(auth);
    if (!m) return this.refuse(401, "Authentication required");
    const kerberos = await this.load();
    let principal: string;
    let reply: string;
    try {
      const server = await kerberos.initializeServer(this.service);
      reply = await server.step(m[1]!);
      if (!server.contextComplete) {
        this.refused++;
        return { status: 401, headers: { "WWW-Authenticate": `Negotiate ${reply}` }, message: "" };
      }
      principal = server.username;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return this.refuse(403, `GSSException: ${reason.replace(/\s+/g, " ")}`);
    }
    this.handshakes++;
    const user = shortName(principal);
    return {
      user,
      headers: { "WWW-Authenticate": `Negotiate ${reply}`, "Set-Cookie": this.cookie(user, principal) },
    };
  }

  private refuse(status: 401 | 403, message: string): FilterResult {
    this.refused++;
    return { status, headers: status === 401 ? { "WWW-Authenticate": "Negotiate" } : {}, message };
  }

  private load(): Promise<KerberosModule> {
    this.kerberos ??= import("kerberos").then(
      (m) => ((m as { default?: KerberosModule }).default ?? m) as KerberosModule,
    );
    return this.kerberos;
  }

  /** `u=…&p=…&t=kerberos&e=…&s=…`, signed as Hadoop's Signer does (HMAC of the rest). */
  private cookie(user: string, principal: string): string {
    const expires = this.clock() + this.validityMs;
    const payload = `u=${user}&p=${principal}&t=kerberos&e=${expires}`;
    const value = `${payload}&s=${this.sign(payload)}`;
    const attrs = [`Path=/`, `Expires=${new Date(expires).toUTCString()}`, "HttpOnly"];
    if (this.secure) attrs.push("Secure");
    return `hadoop.auth="${value}"; ${attrs.join("; ")}`;
  }

  /** The cookie's user when its signature holds and it has not expired. */
  private verifyCookie(header: string | undefined): string | undefined {
    const raw = header
      ?.split(/;\s*/)
      .find((c) => c.startsWith("hadoop.auth="))
      ?.slice("hadoop.auth=".length)
      .replace(/^"|"$/g, "");
    if (!raw) return undefined;
    const at = raw.lastIndexOf("&s=");
    if (at < 0) return undefined;
    const payload = raw.slice(0, at);
    const given = Buffer.from(raw.slice(at + 3));
    const expected = Buffer.from(this.sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const fields = new URLSearchParams(payload);
    if (fields.get("t") !== "kerberos" || !(Number(fields.get("e")) > this.clock())) return undefined;
    return fields.get("u") ?? undefined;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64");
  }
}

/** The HDFS user of a principal: the part before `/` or `@` (auth_to_local DEFAULT). */
export function shortName(principal: string): string {
  return principal.split(/[/@]/)[0]!;
}
