// The one secret scrubber, with the one list of secret names. A URL's credentials are found by
// reading its authority the way a lax parser would (a password may hold `/`, `@` or `:` unencoded,
// which WHATWG URL refuses); secret query parameters and object fields by name; a password we
// hold by its value. Logs, error texts, JSON output and /readyz all pass through here.

// Names whose values are secrets, as URL query parameters (`sslpassword`, `delegation`) and as
// object fields (`password`, `keytabPassword`, `token`): matched anywhere in the name, any case.
const SECRET_NAME = /pass|secret|token|delegation|key/i;
const SCHEME = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\//;

/** Whether a parameter or field of this name holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The URL without its password (`postgres://user@host/db`) and with secret parameters as `***`. */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (scheme === undefined) return url;
  const rest = url.slice(scheme.length);
  const queryAt = rest.search(/[?#]/);
  const head = queryAt < 0 ? rest : rest.slice(0, queryAt);
  // Userinfo runs to the last `@` before the query. When it holds a `:`, all after that `:` may be
  // password, even where a `/` makes it look like a path: better a mangled message than a leak.
  const at = head.lastIndexOf("@");
  const userinfo = at < 0 ? "" : head.slice(0, at);
  const credentials = at >= 0 && (userinfo.includes(":") || !userinfo.includes("/"));
  let out = scheme;
  if (credentials) {
    const user = userinfo.split(":")[0]!;
    out += `${user.includes("/") ? "" : user}@${head.slice(at + 1)}`;
  } else out += head;
  return queryAt < 0 ? out : out + redactQuery(rest.slice(queryAt));
}

function redactQuery(query: string): string {
  return query.replace(/([?&;])([^=&;#]*)=([^&;#]*)/g, (all, sep: string, key: string) =>
    isSecretName(key) ? `${sep}${key}=***` : all,
  );
}

/** Every URL in free text (a message, an error) redacted; a URL runs to whitespace or a quote. */
export function scrubText(text: string): string {
  return text.replace(/(?:\b[A-Za-z][A-Za-z0-9+.-]*:)?\/\/[^\s"'<>`]*/g, (url) => redactUrl(url));
}

/** A driver's message without the password we gave it, in case a driver ever echoes one. */
export function scrubSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("***") : text;
}

/**
 * A copy of a log line's fields fit to write: strings as scrubText leaves them, secret-named fields
 * as `[redacted]`, plain objects and arrays to depth 4. Other objects (a Date, a class instance)
 * are left as they are unless a field of theirs has a secret name.
 */
export function scrubFields(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return scrubText(v);
  if (depth > 4 || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => scrubFields(x, depth + 1));
  if (v instanceof URL) return redactUrl(v.href);
  const proto = Object.getPrototypeOf(v);
  if (
    v instanceof Error ||
    (proto !== Object.prototype && proto !== null && !Object.keys(v).some(isSecretName))
  )
    return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = isSecretName(k) ? "[redacted]" : scrubFields(x, depth + 1);
  return out;
}
