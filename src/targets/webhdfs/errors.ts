// What a failed WebHDFS request means: RemoteException JSON becomes a typed error, and every
// failure is sorted into final (report it), retry on the same NameNode, or fail over to the next.

import { GsError } from "../../errors.ts";

/** A NameNode (or HttpFS) answer that is not a success, with the Java exception when one was sent. */
export class WebhdfsRemoteError extends GsError {
  /** Fully qualified Java class, e.g. org.apache.hadoop.security.AccessControlException; "" if none. */
  readonly javaClassName: string;
  /** Simple class name, or `HTTP <status>` when the body carried no RemoteException. */
  readonly exception: string;
  readonly remoteMessage: string;
  readonly status: number;
  readonly op: string;
  readonly path: string;

  constructor(init: {
    javaClassName: string;
    exception: string;
    message: string;
    status: number;
    op: string;
    path: string;
  }) {
    super("GS_WEBHDFS_REMOTE", `${init.op} ${init.path}: ${init.exception}: ${init.message}`, {
      location: init.path,
    });
    this.name = "WebhdfsRemoteError";
    this.javaClassName = init.javaClassName;
    this.exception = init.exception;
    this.remoteMessage = init.message;
    this.status = init.status;
    this.op = init.op;
    this.path = init.path;
  }

  is(simpleName: string): boolean {
    return this.exception === simpleName || this.javaClassName.endsWith(`.${simpleName}`);
  }
}

/** Builds the error for a non-2xx answer from its status and body text. */
export function parseErrorResponse(status: number, body: string, op: string, path: string): GsError {
  if (status === 401) {
    return new GsError("GS_WEBHDFS_AUTH", `${op} ${path}: HTTP 401 Unauthorized`, { location: path });
  }
  const remote = remoteExceptionOf(body);
  if (remote) return new WebhdfsRemoteError({ ...remote, status, op, path });
  const text = body.trim().slice(0, 200);
  return new WebhdfsRemoteError({
    javaClassName: "",
    exception: `HTTP ${status}`,
    message: text === "" ? "(empty body)" : text,
    status,
    op,
    path,
  });
}

function remoteExceptionOf(
  body: string,
): { javaClassName: string; exception: string; message: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const re = (parsed as { RemoteException?: Record<string, unknown> } | null)?.RemoteException;
  if (typeof re !== "object" || re === null) return undefined;
  const javaClassName = typeof re.javaClassName === "string" ? re.javaClassName : "";
  const exception =
    typeof re.exception === "string" ? re.exception : (javaClassName.split(".").pop() ?? "RemoteException");
  const message = typeof re.message === "string" ? re.message : "";
  return unwrapIdentityFailure({ javaClassName, exception, message });
}

const UGI_FAILURE = /^Failed to obtain user group information:\s+([\w.$]+):\s+([\s\S]*)$/;

/**
 * The NameNode reports every failure to establish the caller (a bad token, a refused doas) as a
 * SecurityException naming the real one in its message; unwrap it, as WebHdfsFileSystem does.
 */
function unwrapIdentityFailure(re: { javaClassName: string; exception: string; message: string }) {
  const m = re.exception === "SecurityException" ? UGI_FAILURE.exec(re.message) : null;
  if (!m) return re;
  const javaClassName = m[1]!;
  const exception = javaClassName.slice(
    Math.max(javaClassName.lastIndexOf("."), javaClassName.lastIndexOf("$")) + 1,
  );
  return { javaClassName, exception, message: m[2]! };
}

export type FailureKind = "final" | "retry" | "failover";

/** Exceptions that will give the same answer however often they are asked, whatever the status. */
const FINAL_EXCEPTIONS = [
  "AccessControlException",
  "FileNotFoundException",
  "AclException",
  "IllegalArgumentException",
  "HadoopIllegalArgumentException",
  "UnsupportedOperationException",
  "SecurityException",
  "AuthorizationException",
  "FileAlreadyExistsException",
  "ParentNotDirectoryException",
  "PathIsNotEmptyDirectoryException",
];

const FAILOVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

const RETRY_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof WebhdfsRemoteError) {
    // A standby wraps some failures (an InvalidToken, for one) so only the message names it.
    if (err.is("StandbyException") || err.remoteMessage.endsWith("StandbyException")) return "failover";
    // A safe mode turned on by an operator stays until one turns it off; only startup's passes.
    if (err.is("SafeModeException") && /turned on manually/.test(err.remoteMessage)) return "final";
    if (err.is("RetriableException") || err.is("SafeModeException")) return "retry";
    if (FINAL_EXCEPTIONS.some((e) => err.is(e))) return "final";
    return err.status >= 500 ? "retry" : "final";
  }
  if (err instanceof GsError) return "final";
  const code = networkCode(err);
  if (code && FAILOVER_CODES.has(code)) return "failover";
  if (code && RETRY_CODES.has(code)) return "retry";
  return "final";
}

/** The errno or undici code of a network failure, looking through `cause` chains. */
export function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** One line per failure for GS_WEBHDFS_UNAVAILABLE, never including query strings (credentials). */
export function describeFailure(err: unknown): string {
  if (err instanceof WebhdfsRemoteError) return `${err.exception}: ${err.remoteMessage}`.slice(0, 300);
  const code = networkCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${code} ${message}` : message;
}
