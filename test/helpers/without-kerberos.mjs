// Loaded with `node --import`: makes `kerberos` unresolvable, as on a machine where the optional
// addon could not be built, without touching the installed package.
import { register } from "node:module";

register(
  "data:text/javascript,export async function resolve(s, c, next) {" +
    " if (s === 'kerberos') { const e = new Error(\"Cannot find package 'kerberos'\"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; }" +
    " return next(s, c); }",
);
