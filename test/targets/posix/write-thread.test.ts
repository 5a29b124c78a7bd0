// The apply tests that write through the POSIX target, with the write thread taking every batch
// (by default it takes batches of 64 paths or more, which most test trees never reach).

process.env.GRANTSYNC_POSIX_WRITE_THREAD = "1";
await import("../../reconcile/failed-write.test.ts");
await import("../../reconcile/undo-half-written.test.ts");
await import("../../reconcile/interrupted-run.test.ts");
await import("../../hardening/hostile-tree.test.ts");
await import("./acl-alone.test.ts");
await import("./by-name.test.ts");
