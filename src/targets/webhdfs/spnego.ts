// Kerberos sessions with the NameNodes, as Hadoop's AuthenticatedURL keeps them: one SPNEGO
// handshake per NameNode, then its signed `hadoop.auth` cookie until it expires; optionally a
// delegation token (fetched with that cookie) for the bulk of the requests, renewed before it
// expires and cancelled on close. Handshakes run one at a time, never concurrently: a burst of
// parallel fresh handshakes would trip the KDC's and the NameNode's replay caches.

import { GsError } from "../../errors.ts";
import {
  credentialsEnv,
  explainGssFailure,
  type GssContext,
  initiate,
  type KerberosCredentials,
  type KerberosEnv,
  serviceName,
  UNKNOWN_GSS_FAILURE,
} from "./kerberos.ts";

/** What one HTTP exchange returned, before any interpretation. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Credentials for one attempt: headers (Authorization, Cookie) and/or a `delegation=` token. */
export interface AttemptAuth {
  headers: Record<string, string>;
  delegation?: string;
}

export type Send = (auth: AttemptAuth) => Promise<HttpAnswer>;

/** The delegation-token ops, sent with Kerberos (cookie or SPNEGO) authentication. */
export interface TokenOps {
  get(): Promise<string>;
  /** Returns the token's new expiry (ms since the epoch). */
  renew(token: string): Promise<number>;
  cancel(token: string): Promise<void>;
}

export interface SpnegoOptions extends KerberosCredentials {
  /** Fetch a delegation token after the first handshake and send it instead of the cookie. */
  delegationTokens?: boolean;
  /** The clock cookie and token expiry are measured by; tests move it instead of waiting. */
  now?: () => number;
}

interface Cookie {
  /** The `Cookie:` header value, exactly as the server set it. */
  header: string;
  /** When to stop sending it (its `e=` expiry less a margin), ms since the epoch. */
  useUntil: number;
}

interface Token {
  value: string;
  renewAt: number;
  expiresAt: number;
}

/** Sent cookies and tokens are dropped this long before they expire. */
const EXPIRY_MARGIN_MS = 30_000;

export class SpnegoSession {
  /** SPNEGO handshakes done (a token sent in `Authorization: Negotiate`); for tests and metrics. */
  handshakes = 0;
  private readonly creds: KerberosCredentials;
  private readonly delegationTokens: boolean;
  private readonly env: KerberosEnv;
  private readonly now: () => number;
  private readonly cookies = new Map<string, Cookie>();
  /** The tail of the queue of handshakes: each waits for the previous one. */
  private lock: Promise<unknown> = Promise.resolve();
  private tokenOps?: TokenOps;
  private token?: Token;
  private tokenFlight?: Promise<Token>;
  private closed = false;

  constructor(options: SpnegoOptions) {
    this.creds = { principal: options.principal, keytab: options.keytab };
    this.now = options.now ?? Date.now;
    this.delegationTokens = options.delegationTokens ?? false;
    this.env = credentialsEnv(this.creds);
  }

  /** Enables delegation tokens; the client provides the ops, which run through `kerberos()`. */
  setTokenOps(ops: TokenOps): void {
    this.tokenOps = ops;
  }

  /** Runs one exchange with whatever credentials this session has, getting them when needed. */
  async send(origin: string, send: Send): Promise<HttpAnswer> {
    if (!this.delegationTokens || !this.tokenOps || this.closed) return this.kerberos(origin, send);
    for (let round = 0; round < 2; round++) {
      const token = await this.currentToken();
      const answer = await send({ headers: {}, delegation: token.value });
      if (!tokenRejected(answer)) return answer;
      if (this.token === token) this.token = undefined;
    }
    throw new GsError("GS_WEBHDFS_AUTH", "the NameNode rejects the delegation tokens it just issued", {
      hint: "Check that all NameNodes share their delegation-token keys (HA) and that clocks agree.",
    });
  }

  /** One exchange authenticated by Kerberos itself: the NameNode's cookie, or a new handshake. */
  async kerberos(origin: string, send: Send): Promise<HttpAnswer> {
    for (let round = 0; round < 2; round++) {
      const cookie = this.validCookie(origin);
      if (cookie) {
        const answer = await send({ headers: { cookie: cookie.header } });
        if (answer.status !== 401) return answer;
        if (this.cookies.get(origin) === cookie) this.cookies.delete(origin);
      }
      const answer = await this.serialized(() =>
        this.validCookie(origin) ? undefined : this.handshake(origin, send),
      );
      if (answer) return answer;
    }
    throw loop401(origin, "it refuses the cookie it has just set");
  }

  /** Cancels the delegation token, if any; later requests authenticate with Kerberos again. */
  async close(): Promise<void> {
    this.closed = true;
    const token = this.token ?? (await this.tokenFlight?.catch(() => undefined));
    this.token = undefined;
    if (token && this.tokenOps) await this.tokenOps.cancel(token.value).catch(() => {});
  }

  private validCookie(origin: string): Cookie | undefined {
    const cookie = this.cookies.get(origin);
    if (cookie && this.now() < cookie.useUntil) return cookie;
    return undefined;
  }

  private serialized<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => {});
    return run;
  }

  /**
   * A request without credentials, which a Kerberized NameNode answers 401 `WWW-Authenticate:
   * Negotiate`; then the same request with a token for HTTP/<host>. The answer to that is the
   * op's own answer, with the cookie and the server's mutual-authentication token.
   */
  private async handshake(origin: string, send: Send): Promise<HttpAnswer> {
    const probe = await send({ headers: {} });
    if (probe.status !== 401) return probe;
    const offered = headerList(probe.headers["www-authenticate"]);
    if (!offered.some((h) => /^Negotiate\b/i.test(h))) {
      throw new GsError(
        "GS_WEBHDFS_AUTH",
        `${origin} wants authentication grantsync cannot give (${offered.join(", ") || "no WWW-Authenticate"})`,
        {
          location: origin,
          hint: "The NameNode must offer SPNEGO (hadoop.http.authentication.type=kerberos).",
        },
      );
    }
    const { context, token } = await initiate(origin, this.creds, this.env);
    this.handshakes++;
    const answer = await send({ headers: { authorization: `Negotiate ${token}` } });
    if (answer.status === 401) throw loop401(origin, "it answers 401 again after the SPNEGO token");
    if (answer.status === 403 && !answer.text.includes("RemoteException")) {
      throw new GsError(
        "GS_WEBHDFS_AUTH",
        `${origin} refused the SPNEGO token: ${serverReason(answer.text)}`,
        {
          location: origin,
          hint: "The NameNode cannot accept tickets for its HTTP/<host> principal: its keytab is missing or out of date (kvno), or the host name the client uses is not the principal's.",
        },
      );
    }
    await this.verifyMutual(origin, context, answer);
    const cookie = authCookie(answer.headers["set-cookie"], this.now());
    if (cookie) this.cookies.set(origin, cookie);
    return answer;
  }

  private async verifyMutual(origin: string, context: GssContext, answer: HttpAnswer): Promise<void> {
    const reply = headerList(answer.headers["www-authenticate"])
      .map((h) => /^Negotiate\s+(\S+)/i.exec(h)?.[1])
      .find((t) => t !== undefined);
    if (reply === undefined || answer.status >= 300) return;
    try {
      await context.step(reply);
    } catch (err) {
      // Tickets that expire during the handshake fail here rather than in the first step.
      const known = explainGssFailure(err, serviceName(origin), this.creds);
      if (!known.message.startsWith(UNKNOWN_GSS_FAILURE)) throw known;
      throw new GsError("GS_WEBHDFS_AUTH", `${origin} failed mutual authentication`, {
        location: origin,
        cause: err,
        hint: "The server is not the NameNode its principal names; check the host and its keytab.",
      });
    }
  }

  /** The token to send now: renewed when due, a new one when there is none or it has expired. */
  private async currentToken(): Promise<Token> {
    const token = this.token;
    if (token && this.now() < token.renewAt) return token;
    this.tokenFlight ??= this.refreshToken(token).finally(() => {
      this.tokenFlight = undefined;
    });
    return this.tokenFlight;
  }

  private async refreshToken(old: Token | undefined): Promise<Token> {
    const ops = this.tokenOps!;
    if (old && this.now() < old.expiresAt) {
      try {
        return this.keep(old.value, await ops.renew(old.value));
      } catch {
        // Past its maximum lifetime or forgotten by the NameNode: get a new one.
      }
    }
    const value = await ops.get();
    // The answer to GETDELEGATIONTOKEN does not say when the token expires; a renewal does.
    return this.keep(value, await ops.renew(value));
  }

  private keep(value: string, expiresAt: number): Token {
    const now = this.now();
    const life = Math.max(0, expiresAt - now);
    // Three quarters into its life, at least a margin before it expires, and never before half.
    const renewIn = Math.max(life / 2, Math.min(life * 0.75, life - EXPIRY_MARGIN_MS));
    const token = { value, expiresAt, renewAt: now + renewIn };
    this.token = token;
    return token;
  }
}

/** A token the NameNode does not (or no longer) accept: InvalidToken, not a standby's. */
function tokenRejected(answer: HttpAnswer): boolean {
  if (answer.status === 401) return true;
  return (
    answer.status === 403 && /InvalidToken/.test(answer.text) && !/StandbyException"?\s*}/.test(answer.text)
  );
}

function loop401(origin: string, why: string): GsError {
  return new GsError("GS_WEBHDFS_AUTH", `${origin} keeps answering 401 Unauthorized: ${why}`, {
    location: origin,
    hint: "The NameNode does not accept this client's Kerberos credentials (realm trust, auth_to_local rules or a cookie secret that differs between servers behind one address).",
  });
}

function headerList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/,\s*(?=[A-Za-z]+(?:\s|$))/));
}

/** `hadoop.auth` from Set-Cookie, kept until its `e=` expiry less a margin (or an hour). */
function authCookie(setCookie: string | string[] | undefined, now: number): Cookie | undefined {
  for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
    const m = /^\s*hadoop\.auth=("[^"]*"|[^;]*)/.exec(line);
    if (!m || m[1] === "" || m[1] === '""') continue;
    const value = m[1]!;
    const expiry = Number(/(?:^|[&"])e=(\d+)/.exec(value)?.[1]);
    const until = Number.isFinite(expiry) && expiry > 0 ? expiry : now + 3_600_000;
    const margin = Math.min(EXPIRY_MARGIN_MS, (until - now) / 10);
    return { header: `hadoop.auth=${value}`, useUntil: until - margin };
  }
  return undefined;
}

/** The reason in Jetty's error page (`<title>Error 403 GSSException: …</title>`), or the text. */
function serverReason(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  return (title ?? text).replace(/\s+/g, " ").trim().slice(0, 200) || "(empty body)";
}
