// Maps process signals to daemon actions: SIGTERM/SIGINT drain and stop, SIGHUP reloads.
// A second stop signal while draining is left to the shutdown's hard timeout, not acted on twice.

export interface SignalHandlers {
  stop: (signal: NodeJS.Signals) => void;
  reload: () => void;
}

export function installSignals(handlers: SignalHandlers): () => void {
  const stop = (signal: NodeJS.Signals) => handlers.stop(signal);
  const reload = () => handlers.reload();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", reload);
  return () => {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    process.off("SIGHUP", reload);
  };
}
