// The one secret scrubber: a URL's credentials are found by reading its authority the way a lax
// parser would (a password may hold `/`, `@` or `:` unencoded, which WHATWG URL refuses), secret
// query parameters by name. Logs, error texts, JSON output and /readyz all pass through here.

const SECRET_PARAM = /pass|secret|token|delegation|key/i;
const SCHEME = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\//;

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
    SECRET_PARAM.test(key) ? `${sep}${key}=***` : all,
  );
}

/** Every URL in free text (a message, an error) redacted; a URL runs to whitespace or a quote. */
export function scrubText(text: string): string {
  return text.replace(/(?:\b[A-Za-z][A-Za-z0-9+.-]*:)?\/\/[^\s"'<>`]*/g, (url) => redactUrl(url));
}
