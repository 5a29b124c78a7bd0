// Preloaded with `node --import` into a benchmarked process: at exit, writes the process's own peak
// resident set (getrusage maxrss, KiB) to $GS_BENCH_MAX_RSS_FILE, so no /usr/bin/time is needed.
import { writeFileSync } from "node:fs";

const file = process.env.GS_BENCH_MAX_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
