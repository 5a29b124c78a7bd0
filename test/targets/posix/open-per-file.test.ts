// The same POSIX target tests with files opened one by one instead of read by name below their
// directory: what a kernel without getxattrat (Linux < 6.13) or a seccomp filter gets.

process.env.GRANTSYNC_POSIX_XATTRAT = "0";
await import("./safety.test.ts");
await import("./read-write.test.ts");
await import("./by-name.test.ts");
await import("./acl-alone.test.ts");
await import("../../reconcile/write-refusal.test.ts");
