// The one rule a user or group name must pass before it may become an ACL entry: characters that
// would split or end an entry in any spec text are refused, then the target's own naming rules.

export type PrincipalKind = "group" | "user";

/** A named user or group, as a grant names it and an ACL entry carries it. */
export interface Principal {
  kind: PrincipalKind;
  name: string;
}

export type NameTarget = "posix" | "webhdfs";

/** LOGIN_NAME_MAX on Linux; longer names are not names any target resolves. */
export const MAX_PRINCIPAL_NAME = 256;

// `,` separates entries, `:` fields, `#` starts getfacl comments; whitespace and control
// characters (NUL included) are trimmed, split or cut short by one tool or another.
const FORBIDDEN = /[,:#\s\p{Cc}\p{Cf}\u2028\u2029]/u;

// shadow-utils' is_valid_name (Debian 12 useradd/groupadd without --badname): a letter, digit,
// `_` or `.` first, then also `-`, an optional final `$` (Samba machine accounts), not all digits.
const POSIX_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/;

// DFS_WEBHDFS_ACL_PERMISSION_PATTERN_DEFAULT's name part: the NameNode refuses anything else.
const WEBHDFS_NAME = /^[A-Za-z0-9._-]+$/;

/** Why a principal name cannot be used, or undefined when it can (for `target`, or for every target). */
export function principalNameProblem(name: string, target?: NameTarget): string | undefined {
  if (name === "") return "the name is empty";
  if (name.length > MAX_PRINCIPAL_NAME) return `the name is longer than ${MAX_PRINCIPAL_NAME} characters`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `the name contains ${describeChar(bad[0])}`;
  if (target === "posix") {
    if (!POSIX_NAME.test(name) || name === "." || name === ".." || /^\d+$/.test(name)) {
      return "useradd/groupadd would refuse the name (letters, digits, _ . - and a final $ only, not all digits)";
    }
  } else if (target === "webhdfs" && !WEBHDFS_NAME.test(name)) {
    return "the NameNode's WebHDFS ACL pattern refuses the name (letters, digits, _ . - only)";
  }
  return undefined;
}

function describeChar(c: string): string {
  if (c === ",") return "a comma";
  if (c === ":") return "a colon";
  if (c === "#") return "a #";
  return `the character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
