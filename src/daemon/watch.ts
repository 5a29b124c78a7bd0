// Watches the source files (config, policy, per-database files, locations) and reports "something
// changed, re-read everything" once per burst of events, after `debounceMs` of quiet.

import { type FSWatcher, watch } from "chokidar";
import type { Logger } from "../log.ts";

export interface WatchOptions {
  files: Iterable<string>;
  debounceMs: number;
  onChange: () => void;
  log: Logger;
}

export class SourceWatcher {
  private readonly watcher: FSWatcher;
  private readonly onChange: () => void;
  private readonly log: Logger;
  private debounceMs: number;
  private files: Set<string>;
  private timer: NodeJS.Timeout | undefined;

  /** Resolves once the first files are watched, so no edit after it can go unnoticed. */
  static async open(opts: WatchOptions): Promise<SourceWatcher> {
    const w = new SourceWatcher(opts);
    await new Promise<void>((resolve) => w.watcher.once("ready", resolve));
    return w;
  }

  private constructor(opts: WatchOptions) {
    this.debounceMs = opts.debounceMs;
    this.onChange = opts.onChange;
    this.log = opts.log;
    this.files = new Set(opts.files);
    // Editors save in place, by temp file + rename, or vim-style (rename away, write anew);
    // chokidar's atomic mode folds those into one `change`, and any event means "re-read".
    this.watcher = watch([...this.files], { ignoreInitial: true, atomic: true, persistent: true });
    this.watcher.on("all", (event, path) => {
      this.log.debug({ event, path }, "source changed");
      // chokidar forgets an unlinked file; watching it again reports its return as `add`.
      if (event === "unlink") this.watcher.add(path);
      this.schedule();
    });
    this.watcher.on("error", (err) => this.log.warn({ err }, "file watcher error"));
  }

  /** Watches exactly `files` from now on (the set changes as per-database files come and go). */
  setFiles(files: Iterable<string>, debounceMs = this.debounceMs): void {
    this.debounceMs = debounceMs;
    const next = new Set(files);
    const gone = [...this.files].filter((f) => !next.has(f));
    const added = [...next].filter((f) => !this.files.has(f));
    if (gone.length > 0) this.watcher.unwatch(gone);
    if (added.length > 0) this.watcher.add(added);
    this.files = next;
    if (gone.length > 0 || added.length > 0) this.log.debug({ files: [...next] }, "watching sources");
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.watcher.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
  }
}
