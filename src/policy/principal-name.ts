// The one check every principal name from a grant source passes before it can reach an ACL entry:
// ACL text and xattrs cannot carry `,` `:` `#`, whitespace or control characters in a name.

const UNSAFE = /[,:#\s\p{Cc}]/u;

/** Why a principal name from a source is refused, or undefined when it is usable. */
export function principalNameProblem(name: string): string | undefined {
  if (name === "") return "an empty principal name";
  if (UNSAFE.test(name))
    return `principal name ${JSON.stringify(name)} contains , : # whitespace or a control character`;
  return undefined;
}
